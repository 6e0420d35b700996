package dev.polyglot.user.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Users in the {@code users} table. E-mail addresses are unique regardless of case: the
 * lower-cased address is stored beside the original under a unique constraint, so a
 * concurrent duplicate fails on insert with {@link DuplicateEmailException}.
 */
@Repository
class UserRepository {

	private final JdbcClient jdbc;

	UserRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(User user) {
		try {
			this.jdbc.sql("""
					INSERT INTO users (id, email, email_key, name, phone, source, created_at, updated_at)
					VALUES (:id, :email, :emailKey, :name, :phone, :source, :createdAt, :updatedAt)
					""")
				.param("id", user.id())
				.param("email", user.email())
				.param("emailKey", emailKey(user.email()))
				.param("name", user.name())
				.param("phone", user.phone())
				.param("source", user.source().name())
				.param("createdAt", utc(user.createdAt()))
				.param("updatedAt", utc(user.updatedAt()))
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw new DuplicateEmailException(user.email());
		}
	}

	void update(User user) {
		try {
			this.jdbc.sql("""
					UPDATE users SET email = :email, email_key = :emailKey, name = :name, phone = :phone,
					                 updated_at = :updatedAt
					WHERE id = :id
					""")
				.param("id", user.id())
				.param("email", user.email())
				.param("emailKey", emailKey(user.email()))
				.param("name", user.name())
				.param("phone", user.phone())
				.param("updatedAt", utc(user.updatedAt()))
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw new DuplicateEmailException(user.email());
		}
	}

	Optional<User> findById(String id) {
		return this.jdbc.sql("SELECT * FROM users WHERE id = :id").param("id", id).query(this::map).optional();
	}

	Optional<User> findByEmail(String email) {
		return this.jdbc.sql("SELECT * FROM users WHERE email_key = :emailKey")
			.param("emailKey", emailKey(email))
			.query(this::map)
			.optional();
	}

	private User map(ResultSet rs, int row) throws SQLException {
		return new User(rs.getString("id"), rs.getString("email"), rs.getString("name"), rs.getString("phone"),
				SignupSource.valueOf(rs.getString("source")),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant());
	}

	private static String emailKey(String email) {
		return email.strip().toLowerCase(Locale.ROOT);
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
