package dev.polyglot.user.user;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import dev.polyglot.user.events.UserEventMapper;
import dev.polyglot.user.events.UserEventPublisher;
import dev.polyglot.user.system.RequestTrace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import polyglot.events.v1.UserEvents.UserSignupEvent;
import polyglot.events.v1.UserEvents.UserUpdatedEvent;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signs users up, changes and looks them up. Each change and its event are written in one
 * database transaction (the event into the outbox), so neither exists without the other.
 */
@Service
public class UserService {

	private static final Logger log = LoggerFactory.getLogger(UserService.class);

	private final UserRepository users;

	private final UserEventMapper mapper;

	private final UserEventPublisher publisher;

	private final Clock clock;

	UserService(UserRepository users, UserEventMapper mapper, UserEventPublisher publisher, Clock clock) {
		this.users = users;
		this.mapper = mapper;
		this.publisher = publisher;
		this.clock = clock;
	}

	/**
	 * Signs a user up.
	 * @param request the validated request
	 * @param trace the request's trace context
	 * @param requestMetadata the client's IP address and user agent, for the event
	 * @return the stored user
	 * @throws DuplicateEmailException when the address is taken
	 */
	@Transactional
	public User signup(SignupRequest request, RequestTrace trace, Map<String, String> requestMetadata) {
		String email = request.email().strip();
		if (this.users.findByEmail(email).isPresent()) {
			throw new DuplicateEmailException(email);
		}
		// Microseconds: what both H2 and PostgreSQL keep, so a re-read user equals the
		// event's time.
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		String phone = (request.phone() == null || request.phone().isBlank()) ? null : request.phone();
		User user = new User(UUID.randomUUID().toString(), email, request.name().strip(), phone,
				SignupSource.fromJson(request.source()), now, now);
		this.users.insert(user);
		UserSignupEvent event = this.mapper.signupEvent(user, trace, requestMetadata);
		this.publisher.publish(user.id(), event, event.getEventMetadata(), trace.newSpanTraceparent());
		log.atInfo()
			.setMessage("user signed up")
			.addKeyValue("user_id", user.id())
			.addKeyValue("event_id", event.getEventMetadata().getEventId())
			.log();
		return user;
	}

	/**
	 * Changes a user's profile. Only fields that really change count; when none does,
	 * nothing is written and no event is published.
	 * @param id the user id
	 * @param request the validated changes
	 * @param trace the request's trace context
	 * @return the user after the change
	 * @throws UserNotFoundException when there is no such user
	 * @throws DuplicateEmailException when the new address belongs to another user
	 */
	@Transactional
	public User update(String id, UpdateRequest request, RequestTrace trace) {
		User before = get(id);
		ProfileChange change = ProfileChange.between(before, request);
		if (change.isEmpty()) {
			return before;
		}
		if (change.fields().contains(ProfileChange.EMAIL)) {
			this.users.findByEmail(change.email()).filter((other) -> !other.id().equals(id)).ifPresent((other) -> {
				throw new DuplicateEmailException(change.email());
			});
		}
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		User after = new User(id, change.email(), change.name(), change.phone(), before.source(), before.createdAt(),
				now);
		this.users.update(after);
		UserUpdatedEvent event = this.mapper.updatedEvent(before, after, change.fields(), trace);
		this.publisher.publish(id, event, event.getEventMetadata(), trace.newSpanTraceparent());
		log.atInfo()
			.setMessage("user updated")
			.addKeyValue("user_id", id)
			.addKeyValue("updated_fields", String.join(",", change.fields()))
			.addKeyValue("event_id", event.getEventMetadata().getEventId())
			.log();
		return after;
	}

	/**
	 * One user by id.
	 * @param id the user id
	 * @return the user
	 * @throws UserNotFoundException when there is none
	 */
	@Transactional(readOnly = true)
	public User get(String id) {
		return this.users.findById(id).orElseThrow(() -> new UserNotFoundException("id " + id));
	}

	/**
	 * One user by e-mail address, compared case-insensitively.
	 * @param email the address
	 * @return the user
	 * @throws UserNotFoundException when there is none
	 */
	@Transactional(readOnly = true)
	public User getByEmail(String email) {
		return this.users.findByEmail(email).orElseThrow(() -> new UserNotFoundException("e-mail " + email));
	}

}
