package dev.polyglot.user.user;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a profile update really changes: the profile after it, and the names of exactly
 * the fields whose value differs (as {@code UserUpdatedEvent.updated_fields} names them).
 *
 * @param name the name after the update
 * @param email the e-mail address after the update
 * @param phone the phone number after the update, or {@code null}
 * @param fields the changed fields, in a fixed order: name, email, phone_number
 */
record ProfileChange(String name, String email, String phone, List<String> fields) {

	static final String NAME = "name";

	static final String EMAIL = "email";

	static final String PHONE = "phone_number";

	static ProfileChange between(User user, UpdateRequest request) {
		String name = (request.name() != null) ? request.name().strip() : user.name();
		String email = (request.email() != null) ? request.email().strip() : user.email();
		String phone = user.phone();
		if (request.phone() != null) {
			phone = request.phone().isEmpty() ? null : request.phone();
		}
		List<String> fields = new ArrayList<>(3);
		if (!name.equals(user.name())) {
			fields.add(NAME);
		}
		if (!email.equals(user.email())) {
			fields.add(EMAIL);
		}
		if (!Objects.equals(phone, user.phone())) {
			fields.add(PHONE);
		}
		return new ProfileChange(name, email, phone, List.copyOf(fields));
	}

	boolean isEmpty() {
		return this.fields.isEmpty();
	}

}
