package dev.polyglot.user.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database: PostgreSQL when {@code DATABASE_URL} is set, otherwise the embedded H2, a
 * file under {@code DATA_DIR}. Flyway migrates either with the same scripts.
 */
@Configuration(proxyBeanMethods = false)
class DataSourceConfiguration {

	@Bean
	HikariDataSource dataSource(UserServiceProperties properties) {
		String url = properties.databaseUrl().isBlank() ? embeddedUrl(properties.dataDir())
				: jdbcUrl(properties.databaseUrl());
		HikariDataSource dataSource = DataSourceBuilder.create().type(HikariDataSource.class).url(url).build();
		if (url.startsWith("jdbc:h2:")) {
			dataSource.setUsername("sa");
			dataSource.setPassword("");
		}
		dataSource.setPoolName("users");
		dataSource.setMaximumPoolSize(10);
		return dataSource;
	}

	/**
	 * The H2 file under the data directory, made absolute because H2 refuses implicitly
	 * relative paths such as {@code .polyglot/data/users}.
	 */
	static String embeddedUrl(Path dataDir) {
		Path dir = dataDir.toAbsolutePath().normalize();
		try {
			Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create DATA_DIR " + dir, ex);
		}
		// WRITE_DELAY=0: a commit reaches the file before the answer, so a killed process
		// keeps
		// every sign-up it confirmed (H2's default delay of 500 ms lost them on kill -9).
		// DB_CLOSE_ON_EXIT=FALSE: the pool closes the database on shutdown, after
		// in-flight requests.
		return "jdbc:h2:file:" + dir.resolve("users") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
	}

	/**
	 * A JDBC URL from {@code DATABASE_URL}, which may also be given in the libpq form
	 * {@code postgresql://user:password@host:port/database}.
	 */
	static String jdbcUrl(String databaseUrl) {
		if (databaseUrl.startsWith("jdbc:")) {
			return databaseUrl;
		}
		URI uri = URI.create(databaseUrl);
		if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
			throw new IllegalArgumentException("DATABASE_URL must be a jdbc:postgresql: or postgresql:// URL");
		}
		StringBuilder url = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
		if (uri.getPort() != -1) {
			url.append(':').append(uri.getPort());
		}
		url.append(uri.getRawPath());
		String query = (uri.getRawQuery() != null) ? uri.getRawQuery() : "";
		if (uri.getRawUserInfo() != null) {
			String[] user = uri.getRawUserInfo().split(":", 2);
			query = (query.isEmpty() ? "" : query + "&") + "user=" + user[0]
					+ ((user.length > 1) ? "&password=" + user[1] : "");
		}
		return query.isEmpty() ? url.toString() : url + "?" + query;
	}

}
