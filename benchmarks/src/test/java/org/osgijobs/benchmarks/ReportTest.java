package org.osgijobs.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

public class ReportTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static final Result THROUGHPUT = Result.measured("memory-noop",
            new Measurement(400_000, 12.5, 250.0, null), new Measurement(800_000, 10.0, 200.0, null),
            "ratio >= 0.5", true, "2 workers");
    private static final Result FOOTPRINT = Result.measured("memory-footprint",
            new Measurement(500_000, null, null, 180.4), new Measurement(900_000, null, null, 90.0), "< 512 B/job",
            true, "paused");

    @Test
    public void jsonHasTheIssuesKeysPerRow() throws Exception {
        JsonArray rows = write(List.of(THROUGHPUT, FOOTPRINT));

        assertEquals(2, rows.size());
        JsonObject noop = rows.get(0).getAsJsonObject();
        assertEquals("memory-noop", noop.get("scenario").getAsString());
        assertEquals(400_000, noop.get("jobs_per_s").getAsLong());
        assertEquals(800_000, noop.get("baseline_jobs_per_s").getAsLong());
        assertEquals(0.5, noop.get("ratio").getAsDouble(), 1e-9);
        assertEquals(12.5, noop.get("p50_us").getAsDouble(), 1e-9);
        assertEquals(250.0, noop.get("p99_us").getAsDouble(), 1e-9);
        assertEquals(10.0, noop.get("baseline_p50_us").getAsDouble(), 1e-9);
        assertTrue(noop.get("target_met").getAsBoolean());
        assertFalse("bytes_per_job applies only where a footprint is measured", noop.has("bytes_per_job"));

        JsonObject footprint = rows.get(1).getAsJsonObject();
        assertEquals(180.4, footprint.get("bytes_per_job").getAsDouble(), 1e-9);
        assertEquals(90.0, footprint.get("baseline_bytes_per_job").getAsDouble(), 1e-9);
        assertTrue(footprint.get("p50_us").isJsonNull());
    }

    @Test
    public void extraFiguresBecomeKeysOfTheirRow() throws Exception {
        JsonArray rows = write(List.of(THROUGHPUT.withExtra("rr_headers_ratio", 0.98765)));

        assertEquals(0.988, rows.get(0).getAsJsonObject().get("rr_headers_ratio").getAsDouble(), 1e-9);
    }

    @Test
    public void skippedAndFailedRowsHaveNullFiguresAndTheirReason() throws Exception {
        JsonArray rows = write(List.of(Result.skipped("amqp", "RabbitMQ is unreachable"),
                Result.failed("memory-mixed", "boom")));

        JsonObject amqp = rows.get(0).getAsJsonObject();
        assertEquals("skipped", amqp.get("status").getAsString());
        assertTrue(amqp.get("jobs_per_s").isJsonNull());
        assertTrue(amqp.get("ratio").isJsonNull());
        assertEquals("RabbitMQ is unreachable", amqp.get("notes").getAsString());
        assertEquals("failed", rows.get(1).getAsJsonObject().get("status").getAsString());
    }

    @Test
    public void notesSurviveQuotesBackslashesAndControlCharacters() throws Exception {
        String notes = "say \"hi\"\\ then\nnew line\ttab \u0001";
        JsonArray rows = write(List.of(Result.failed("x", notes)));

        assertEquals(notes, rows.get(0).getAsJsonObject().get("notes").getAsString());
    }

    @Test
    public void tableShowsFiguresTargetsAndStatus() {
        String table = Report.table(List.of(THROUGHPUT, Result.measured("amqp",
                new Measurement(1000, 1.0, 2.0, null), new Measurement(2000, 1.0, 2.0, null), "ratio >= 0.85",
                false, "n"), Result.skipped("other", "no broker")));
        String[] lines = table.split("\n");

        assertTrue(lines[0].startsWith("scenario"));
        assertTrue(lines[0].contains("baseline jobs/s"));
        assertTrue(lines[2].contains("400,000") && lines[2].contains("800,000") && lines[2].contains("0.500"));
        assertTrue(lines[2].contains("12.5") && lines[2].contains("250"));
        assertTrue(lines[2].contains("ratio >= 0.5 met"));
        assertTrue(lines[3].contains("ratio >= 0.85 MISSED"));
        assertTrue(lines[4].contains("SKIPPED: no broker"));
    }

    private JsonArray write(List<Result> results) throws Exception {
        Path file = folder.getRoot().toPath().resolve("sub/results.json");
        Report.writeJson(results, file);
        return JsonParser.parseString(Files.readString(file)).getAsJsonArray();
    }
}
