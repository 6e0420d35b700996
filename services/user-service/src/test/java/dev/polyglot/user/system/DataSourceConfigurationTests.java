package dev.polyglot.user.system;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DataSourceConfigurationTests {

	@Test
	void jdbcUrlIsKept() {
		assertThat(DataSourceConfiguration.jdbcUrl("jdbc:postgresql://127.0.0.1:5432/users?user=app"))
			.isEqualTo("jdbc:postgresql://127.0.0.1:5432/users?user=app");
	}

	@Test
	void libpqUrlBecomesJdbcWithItsCredentials() {
		assertThat(DataSourceConfiguration.jdbcUrl("postgresql://app:s3cret@db.local:5433/users?sslmode=disable"))
			.isEqualTo("jdbc:postgresql://db.local:5433/users?sslmode=disable&user=app&password=s3cret");
		assertThat(DataSourceConfiguration.jdbcUrl("postgres://127.0.0.1/users"))
			.isEqualTo("jdbc:postgresql://127.0.0.1/users");
	}

	@Test
	void otherSchemesAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> DataSourceConfiguration.jdbcUrl("mysql://x/y"));
	}

	@Test
	void embeddedDatabaseIsAnAbsoluteFileUnderTheDataDirWrittenOnCommit(@TempDir Path dir) {
		String url = DataSourceConfiguration.embeddedUrl(dir.resolve("nested"));

		assertThat(url).startsWith("jdbc:h2:file:" + dir.resolve("nested").resolve("users")).contains("WRITE_DELAY=0");
		assertThat(dir.resolve("nested")).isDirectory();
	}

}
