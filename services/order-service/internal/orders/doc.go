// Package orders is order-service's domain: orders, their exact totals, the validation of a
// new order, the directory of known users and the Service that places orders and turns each
// sign-up into its free welcome order. It knows neither Kafka nor HTTP; it talks to storage
// and to the event stream through the small interfaces declared in service.go.
package orders
