package org.osgijobs.driver.jdbc.internal;

import java.util.Map;
import java.util.regex.Pattern;

import org.osgijobs.api.JobsException;

/**
 * How to reach the database: the parsed {@code jobs.jdbc} configuration. Either a JDBC URL (the pool is built on the
 * framework's {@code DataSourceFactory} for it) or a service filter for an existing {@code javax.sql.DataSource}
 * service ({@code datasource.target}, with {@code database} naming its kind). Immutable; {@link #toString()} and
 * {@link #describe()} never show the password (a password written into the URL is shown as {@code ***}).
 */
final class ConnectionSettings {
    static final String PID = "jobs.jdbc";
    static final String URL = "url";
    static final String USER = "user";
    static final String PASSWORD = "password";
    static final String POOL_SIZE = "pool_size";
    static final String TABLE = "table";
    /** Declarative Services' target of the component's {@code datasource} reference. */
    static final String DATASOURCE_TARGET = "datasource.target";
    /**
     * The target of the {@code datasource} reference when {@code datasource.target} is not configured: matches no
     * service. Declarative Services passes it among the component's properties, so it means "not set" here.
     */
    static final String NO_DATASOURCE = "(!(objectClass=*))";
    static final String DATABASE = "database";
    static final String POSTGRESQL = "postgresql";
    static final String MARIADB = "mariadb";
    static final int DEFAULT_POOL_SIZE = 10;
    static final String DEFAULT_TABLE = "osgijobs_jobs";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,50}");
    // password=... in a URL's query (pgjdbc, MariaDB) or user:password@ in its authority
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern PASSWORD_IN_AUTHORITY = Pattern.compile("(//[^/@:]*:)[^/@]*@");

    private final String url;
    private final String user;
    private final String password;
    private final int poolSize;
    private final String table;
    private final String dataSourceTarget; // "" when the URL is used
    private final String database; // postgresql or mariadb

    private ConnectionSettings(String url, String user, String password, int poolSize, String table,
            String dataSourceTarget, String database) {
        this.url = url;
        this.dataSourceTarget = dataSourceTarget;
        this.database = database;
        this.user = user;
        this.password = password;
        this.poolSize = poolSize;
        this.table = table;
    }

    /**
     * @param config the {@code jobs.jdbc} properties
     * @return the settings
     * @throws JobsException of kind {@code BAD_INPUT} naming the missing or malformed key
     */
    static ConnectionSettings of(Map<String, ?> config) {
        String url = string(config, URL);
        String target = string(config, DATASOURCE_TARGET);
        if (target.equals(NO_DATASOURCE)) {
            target = "";
        }
        String database = string(config, DATABASE).toLowerCase(java.util.Locale.ROOT);
        if (!target.isEmpty()) {
            if (!url.isEmpty()) {
                throw new JobsException(JobsException.Kind.BAD_INPUT, PID + ": set either option 'url' or option '"
                        + DATASOURCE_TARGET + "', not both (got url '" + redact(url) + "' and " + DATASOURCE_TARGET
                        + " '" + target + "')");
            }
            for (String key : new String[] {USER, PASSWORD}) {
                if (!string(config, key).isEmpty()) {
                    throw new JobsException(JobsException.Kind.BAD_INPUT, PID + ": option '" + key + "' is not used"
                            + " with option '" + DATASOURCE_TARGET + "': the DataSource service brings its own"
                            + " credentials; remove it");
                }
            }
            if (!database.equals(POSTGRESQL) && !database.equals(MARIADB)) {
                throw new JobsException(JobsException.Kind.BAD_INPUT, PID + ": with option '" + DATASOURCE_TARGET
                        + "', option 'database' must name the database behind the DataSource: " + POSTGRESQL + " or "
                        + MARIADB + ", got '" + database + "'");
            }
        } else if (url.isEmpty()) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, PID + ": option 'url' is required (e.g."
                    + " jdbc:postgresql://127.0.0.1:5432/jobs), or option '" + DATASOURCE_TARGET + "' naming a"
                    + " javax.sql.DataSource service");
        } else if (!url.startsWith("jdbc:")) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, PID + ": option 'url' must be a JDBC URL"
                    + " (jdbc:postgresql://host:port/database), got '" + redact(url) + "'");
        }
        String poolValue = string(config, POOL_SIZE);
        int poolSize;
        try {
            poolSize = poolValue.isEmpty() ? DEFAULT_POOL_SIZE : Integer.parseInt(poolValue);
        } catch (NumberFormatException e) {
            poolSize = 0;
        }
        if (poolSize < 2 || poolSize > 1000) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, PID + ": option 'pool_size' must be an integer"
                    + " from 2 to 1000, got '" + poolValue + "'");
        }
        String table = string(config, TABLE);
        if (table.isEmpty()) {
            table = DEFAULT_TABLE;
        }
        if (!IDENTIFIER.matcher(table).matches()) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, PID + ": option 'table' must be a plain SQL name"
                    + " (letters, digits, '_', at most 51 characters), got '" + table + "'");
        }
        if (target.isEmpty()) {
            database = url.startsWith("jdbc:mariadb:") ? MARIADB : url.startsWith("jdbc:postgresql:") ? POSTGRESQL
                    : "";
        }
        return new ConnectionSettings(url, string(config, USER), string(config, PASSWORD), poolSize,
                table.toLowerCase(java.util.Locale.ROOT), target, database);
    }

    /** @return the filter of the DataSource service to use, or {@code ""} when the URL is used */
    String dataSourceTarget() {
        return dataSourceTarget;
    }

    /** @return {@code postgresql}, {@code mariadb}, or {@code ""} for a URL of another database */
    String database() {
        return database;
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    int poolSize() {
        return poolSize;
    }

    String table() {
        return table;
    }

    /** @return the URL with any password in it shown as {@code ***}, and the user: what errors and logs name */
    String describe() {
        String what = dataSourceTarget.isEmpty() ? redact(url) : "DataSource service " + dataSourceTarget;
        return what + (user.isEmpty() ? "" : " (user " + user + ")");
    }

    static String redact(String url) {
        String once = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return PASSWORD_IN_AUTHORITY.matcher(once).replaceAll("$1***@");
    }

    @Override
    public String toString() {
        return describe() + (password.isEmpty() ? "" : ", password ***") + ", table " + table + ", pool_size "
                + poolSize;
    }

    private static String string(Map<String, ?> config, String key) {
        Object v = config.get(key);
        return v == null ? "" : v.toString().trim();
    }
}
