package dev.polyglot.user.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.google.protobuf.Timestamp;
import dev.polyglot.user.system.RequestTrace;
import dev.polyglot.user.system.UserServiceProperties;
import dev.polyglot.user.user.SignupSource;
import dev.polyglot.user.user.User;
import polyglot.common.v1.Metadata.EventMetadata;
import polyglot.events.v1.UserEvents;
import polyglot.events.v1.UserEvents.UserSignupEvent;
import polyglot.events.v1.UserEvents.UserUpdatedEvent;

import org.springframework.stereotype.Component;

/**
 * Maps users to their protobuf events. Each event gets a new event id; sign-ups and
 * profile changes are caused by an HTTP request, not by another event, so they are root
 * events of their request's chain (empty causation id).
 */
@Component
public class UserEventMapper {

	private final UserServiceProperties properties;

	public UserEventMapper(UserServiceProperties properties) {
		this.properties = properties;
	}

	/**
	 * The event of a new sign-up.
	 * @param user the stored user
	 * @param trace the trace of the request that signed the user up
	 * @param requestMetadata the request context (client IP, user agent)
	 * @return the event, stamped with the user's sign-up time
	 */
	public UserSignupEvent signupEvent(User user, RequestTrace trace, Map<String, String> requestMetadata) {
		Timestamp signedUpAt = timestamp(user.createdAt());
		return UserSignupEvent.newBuilder()
			.setUserId(user.id())
			.setEmail(user.email())
			.setName(user.name())
			.setPhoneNumber((user.phone() != null) ? user.phone() : "")
			.setSignupTimestamp(signedUpAt)
			.setSource(source(user.source()))
			.putAllMetadata(requestMetadata)
			.setEventMetadata(metadata(trace.correlationId(), "", signedUpAt))
			.build();
	}

	/**
	 * The event of a profile change.
	 * @param before the user before the change
	 * @param after the user after the change
	 * @param updatedFields exactly the fields that changed
	 * @param trace the trace of the request that changed the user
	 * @return the event, stamped with the change's time
	 */
	public UserUpdatedEvent updatedEvent(User before, User after, List<String> updatedFields, RequestTrace trace) {
		Timestamp updatedAt = timestamp(after.updatedAt());
		UserUpdatedEvent.Builder event = UserUpdatedEvent.newBuilder()
			.setUserId(after.id())
			.setEmail(after.email())
			.setName(after.name())
			.setPhoneNumber((after.phone() != null) ? after.phone() : "")
			.setUpdatedTimestamp(updatedAt)
			.addAllUpdatedFields(updatedFields)
			.setEventMetadata(metadata(trace.correlationId(), "", updatedAt));
		if (!before.email().equals(after.email())) {
			event.setPreviousEmail(before.email());
		}
		return event.build();
	}

	private EventMetadata metadata(String correlationId, String causationId, Timestamp at) {
		return EventMetadata.newBuilder()
			.setEventId(UUID.randomUUID().toString())
			.setCorrelationId(correlationId)
			.setCausationId(causationId)
			.setSourceService(this.properties.serviceName())
			.setSourceVersion(this.properties.version())
			.setTimestamp(at)
			.build();
	}

	static UserEvents.SignupSource source(SignupSource source) {
		return switch (source) {
			case WEB -> UserEvents.SignupSource.SIGNUP_SOURCE_WEB;
			case MOBILE -> UserEvents.SignupSource.SIGNUP_SOURCE_MOBILE;
			case API -> UserEvents.SignupSource.SIGNUP_SOURCE_API;
			case SOCIAL -> UserEvents.SignupSource.SIGNUP_SOURCE_SOCIAL;
		};
	}

	static Timestamp timestamp(Instant instant) {
		return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
	}

}
