package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless chromium through its chromedriver) against the distribution
 * started as a process: the token typed in, a pipeline paused and resumed by clicking, a job pushed from the form
 * and seen run and counted, a dead-lettered job listed and run again by clicking; a screenshot is kept as
 * target/dashboard.png.
 */
public class DashboardBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Pattern PORT = Pattern.compile("Started Jetty \\S+ at port\\(s\\) HTTP:(\\d+)");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void pauseResumePushAndRunAgainByClicking() throws Exception {
        browserIsThere();
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        try (Run run = dist.start("--no-console")) {
            run.awaitLog("HTTP API at /jobs", 1, Duration.ofSeconds(60));
            String token = Files.readAllLines(dist.conf("jobs.http.cfg")).stream()
                    .filter(l -> l.startsWith("token=")).findFirst().orElseThrow().substring(6);
            Matcher m = PORT.matcher(run.log());
            assertTrue(run.log(), m.find());
            String base = "http://127.0.0.1:" + m.group(1) + "/jobs";
            run.awaitLog("pipeline 'default' created", 1, Duration.ofSeconds(60));

            WebDriver browser = browser();
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                // the page redraws a row when its pipeline changes: an element read during a redraw is stale
                wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
                browser.get(base + "/ui/");
                browser.findElement(By.id("token")).sendKeys(token + "\t");
                wait.until(b -> "consuming".equals(state(b, "default")));

                wait.until(b -> click(b, "default", "button.pause"));
                wait.until(b -> "paused".equals(state(b, "default")));
                assertTrue(get(base + "/pipelines/default").contains("\"ready\":false"));
                wait.until(b -> click(b, "default", "button.resume"));
                wait.until(b -> "consuming".equals(state(b, "default")));
                assertTrue(get(base + "/pipelines/default").contains("\"ready\":true"));

                new Select(browser.findElement(By.id("push-pipeline"))).selectByValue("default");
                WebElement payload = browser.findElement(By.id("push-payload"));
                payload.clear();
                payload.sendKeys("pushed from the browser");
                browser.findElement(By.id("push-submit")).click();
                wait.until(b -> b.findElement(By.id("push-result")).getText().startsWith("pushed "));
                wait.until(b -> "1".equals(row(b, "default").findElement(By.cssSelector("td.processed")).getText()));
                run.awaitLog("pushed from the browser", 1, Duration.ofSeconds(20));
                wait.until(b -> "1".equals(row(b, "default").findElement(By.cssSelector("td.pushed")).getText()));

                // a job that fails its three attempts (1 s, then 2 s apart) is listed among the dead letters of
                // 'failed' (the table's pipeline at first), and Run again sends it back into 'default'
                new Select(browser.findElement(By.id("push-pipeline"))).selectByValue("default");
                WebElement name = browser.findElement(By.id("push-name"));
                name.clear();
                name.sendKeys("fail");
                payload.clear();
                payload.sendKeys("doomed");
                browser.findElement(By.id("push-submit")).click();
                wait.until(b -> b.findElement(By.id("push-result")).getText().startsWith("pushed "));
                String failedId = browser.findElement(By.id("push-result")).getText().split(" ")[1];
                WebDriverWait deadLettering = new WebDriverWait(browser, Duration.ofSeconds(30));
                deadLettering.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
                deadLettering.until(b -> !b.findElements(By.cssSelector("tr[data-job='" + failedId + "']")).isEmpty());
                WebElement letter = browser.findElement(By.cssSelector("tr[data-job='" + failedId + "']"));
                assertEquals("default", letter.findElement(By.cssSelector("td.from")).getText());
                assertTrue(letter.getText(), letter.findElement(By.cssSelector("td.error")).getText()
                        .contains("fail"));
                wait.until(b -> {
                    try {
                        b.findElement(By.cssSelector("tr[data-job='" + failedId + "'] button.run-again")).click();
                        return true;
                    } catch (org.openqa.selenium.NoSuchElementException e) {
                        return false;
                    }
                });
                wait.until(b -> b.findElement(By.id("waiting-result")).getText()
                        .equals(failedId + " runs again in default"));
                run.awaitLog("job " + failedId + " (fail) of pipeline 'failed' runs again in pipeline 'default'", 1,
                        Duration.ofSeconds(20));

                File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
                Path kept = Path.of(System.getProperty("distribution.dir", "target/osgi-jobs")).resolveSibling(
                        "dashboard.png");
                Files.copy(shot.toPath(), kept, StandardCopyOption.REPLACE_EXISTING);
                assertTrue(Files.size(kept) > 1000);
            } finally {
                browser.quit();
            }
        }
    }

    private static void browserIsThere() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String message = "chromium and chromedriver are not installed (apt-get install chromium chromium-driver;"
                + " .ci/run installs them)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: the browser test must run)");
        }
        System.err.println("\n**** SKIPPED: " + message + " ****\n");
        Assume.assumeTrue(message, false);
    }

    private static WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static WebElement row(WebDriver browser, String pipeline) {
        return browser.findElement(By.cssSelector("tr[data-pipeline='" + pipeline + "']"));
    }

    /** @return whether the click reached the button (false: it was being redrawn; the wait tries again) */
    private static boolean click(WebDriver browser, String pipeline, String button) {
        try {
            row(browser, pipeline).findElement(By.cssSelector(button)).click();
            return true;
        } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
            return false;
        }
    }

    private static String state(WebDriver browser, String pipeline) {
        try {
            return row(browser, pipeline).findElement(By.cssSelector("td.state")).getText();
        } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
            return null;
        }
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
