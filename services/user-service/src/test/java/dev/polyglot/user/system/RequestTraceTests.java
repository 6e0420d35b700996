package dev.polyglot.user.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestTraceTests {

	private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

	@Test
	void callersCorrelationIdAndTraceAreContinued() {
		RequestTrace trace = RequestTrace.fromHeaders("corr-42", TRACEPARENT);

		assertThat(trace.correlationId()).isEqualTo("corr-42");
		assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
		assertThat(trace.newSpanTraceparent()).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
			.doesNotContain("00f067aa0ba902b7");
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "   ", "has space", "semi;colon" })
	void missingOrUnusableCorrelationIdIsReplacedByAUuid(String header) {
		RequestTrace trace = RequestTrace.fromHeaders(header, null);

		assertThat(trace.correlationId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
			"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
			"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
			"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01" })
	void invalidTraceparentStartsANewTrace(String header) {
		RequestTrace trace = RequestTrace.fromHeaders("c", header);

		assertThat(trace.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
		assertThat(trace.newSpanTraceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
	}

}
