package dev.polyglot.bench.serialization;

import java.util.List;
import java.util.Map;

/**
 * Plain records for the JSON benchmark, shaped like the protobuf JSON mapping of each message
 * (lowerCamelCase names; int64 and timestamps as strings; enums by name), which is what the
 * vectors' {@code .json} twins hold.
 */
final class JsonMessages {

	private JsonMessages() {
	}

	record Money(String currencyCode, String units, Integer nanos) {
	}

	record EventMetadata(String eventId, String correlationId, String causationId, String sourceService,
			String sourceVersion, String timestamp, Map<String, String> headers) {
	}

	record UserSignupEvent(String userId, String email, String name, String signupTimestamp, String source,
			Map<String, String> metadata, EventMetadata eventMetadata, String phoneNumber) {
	}

	record UserUpdatedEvent(String userId, String email, String name, String updatedTimestamp,
			List<String> updatedFields, EventMetadata eventMetadata, String phoneNumber, String previousEmail) {
	}

	record OrderItem(String productId, String productName, Integer quantity, Double unitPrice,
			Money unitPriceMoney) {
	}

	record OrderCreatedEvent(String orderId, String userId, Double totalAmount, String currency, String status,
			List<OrderItem> items, String createdTimestamp, EventMetadata eventMetadata, Money totalMoney) {
	}

	record OrderShippedEvent(String orderId, String userId, String trackingNumber, String carrier,
			String shippedTimestamp, EventMetadata eventMetadata) {
	}

	record PaymentProcessedEvent(String orderId, String userId, String paymentId, Money amount, String status,
			String declineReason, String provider, String processedTimestamp, EventMetadata eventMetadata) {
	}

	record OrderCancelledEvent(String orderId, String userId, String reason, String cancelledTimestamp,
			EventMetadata eventMetadata) {
	}

	record EmailSentEvent(String userId, String emailAddress, String templateId, String emailType,
			Map<String, String> templateVariables, String sentTimestamp, EventMetadata eventMetadata, String subject,
			String orderId) {
	}

	record SMSSentEvent(String userId, String phoneNumber, String messageContent, String smsType,
			String sentTimestamp, EventMetadata eventMetadata, String orderId) {
	}

	record AnalyticsUpdate(String metricName, Double value, Double previousValue, Map<String, String> labels,
			String updatedTimestamp, EventMetadata eventMetadata, String triggerEventId) {
	}

	record MetricsCollected(String collectedTimestamp, String userSignups, String ordersCreated, String emailsSent,
			String smsSent, String paymentsDeclined, Money totalRevenue, Map<String, String> signupsBySource,
			Map<String, String> ordersByStatus, Map<String, String> eventsByType, Integer intervalSeconds,
			EventMetadata eventMetadata) {
	}

	/** The record class of a message, by its full protobuf name. */
	static Class<?> forMessage(String fullName) {
		String simple = fullName.substring(fullName.lastIndexOf('.') + 1);
		for (Class<?> type : JsonMessages.class.getDeclaredClasses()) {
			if (type.getSimpleName().equals(simple)) {
				return type;
			}
		}
		throw new IllegalArgumentException("no JSON record for " + fullName + " in JsonMessages");
	}

}
