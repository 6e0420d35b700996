package dev.polyglot.user.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded H2 database, a file under {@code DATA_DIR}. The path is made absolute here
 * because H2 refuses implicitly relative paths such as {@code .polyglot/data/users}.
 */
@Configuration(proxyBeanMethods = false)
class DataSourceConfiguration {

	@Bean
	HikariDataSource dataSource(UserServiceProperties properties) {
		Path dir = properties.dataDir().toAbsolutePath().normalize();
		try {
			Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create DATA_DIR " + dir, ex);
		}
		// WRITE_DELAY=0: a commit reaches the file before the answer, so a killed process keeps
		// every sign-up it confirmed (H2's default delay of 500 ms lost them on kill -9).
		// DB_CLOSE_ON_EXIT=FALSE: the pool closes the database on shutdown, after in-flight requests.
		String url = "jdbc:h2:file:" + dir.resolve("users") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
		HikariDataSource dataSource = DataSourceBuilder.create()
			.type(HikariDataSource.class)
			.url(url)
			.username("sa")
			.password("")
			.build();
		dataSource.setPoolName("users");
		dataSource.setMaximumPoolSize(10);
		return dataSource;
	}

}
