package config

import (
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    Config
		wantErr []string
	}{
		{
			name: "defaults",
			env:  map[string]string{},
			want: Config{
				KafkaBrokers: []string{"127.0.0.1:9092"}, HTTPAddr: "127.0.0.1:8081", LogLevel: slog.LevelInfo,
				DatabasePath: filepath.Join(".polyglot", "data", "orders.db"), UserWait: 5 * time.Second, ShutdownTimeout: 10 * time.Second,
				Saga: true, PaymentLimit: 1000_00, PublishTimeout: 10 * time.Second,
				ZipkinEndpoint: "http://127.0.0.1:9411/api/v2/spans", ServiceName: "order-service",
			},
		},
		{
			name: "everything set",
			env: map[string]string{
				"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092, 127.0.0.1:9094,", "HTTP_PORT": "18081", "HTTP_HOST": "0.0.0.0",
				"LOG_LEVEL": "debug", "DATA_DIR": "/tmp/x", "ORDER_USER_WAIT": "250ms", "SHUTDOWN_TIMEOUT": "3s",
				"ORDER_SAGA": "on", "PAYMENT_LIMIT": "50", "PUBLISH_TIMEOUT": "2s", "POLYGLOT_INSTANCE": "order-service-2", "ZIPKIN_ENDPOINT": "none",
			},
			want: Config{
				KafkaBrokers: []string{"127.0.0.1:9092", "127.0.0.1:9094"}, HTTPAddr: "0.0.0.0:18081", LogLevel: slog.LevelDebug,
				DatabasePath: "/tmp/x/orders.db", UserWait: 250 * time.Millisecond, ShutdownTimeout: 3 * time.Second,
				Saga: true, PaymentLimit: 50_00, PublishTimeout: 2 * time.Second, Instance: "order-service-2", ServiceName: "order-service",
			},
		},
		{
			name:    "every problem at once",
			env:     map[string]string{"HTTP_PORT": "eighty", "LOG_LEVEL": "loud", "ORDER_USER_WAIT": "-1s", "SHUTDOWN_TIMEOUT": "soon", "KAFKA_BOOTSTRAP_SERVERS": ",", "ORDER_SAGA": "maybe", "PAYMENT_LIMIT": "-5"},
			wantErr: []string{"HTTP_PORT", "LOG_LEVEL", "ORDER_USER_WAIT", "SHUTDOWN_TIMEOUT", "KAFKA_BOOTSTRAP_SERVERS", "ORDER_SAGA", "PAYMENT_LIMIT"},
		},
		{
			name: "saga off",
			env:  map[string]string{"ORDER_SAGA": "off"},
			want: Config{
				KafkaBrokers: []string{"127.0.0.1:9092"}, HTTPAddr: "127.0.0.1:8081", LogLevel: slog.LevelInfo,
				DatabasePath: filepath.Join(".polyglot", "data", "orders.db"), UserWait: 5 * time.Second, ShutdownTimeout: 10 * time.Second,
				PaymentLimit: 1000_00, PublishTimeout: 10 * time.Second,
				ZipkinEndpoint: "http://127.0.0.1:9411/api/v2/spans", ServiceName: "order-service",
			},
		},
		{
			name: "shared data dir wins over DATA_DIR",
			env:  map[string]string{"DATA_DIR": "/tmp/own", "SHARED_DATA_DIR": "/tmp/shared"},
			want: Config{
				KafkaBrokers: []string{"127.0.0.1:9092"}, HTTPAddr: "127.0.0.1:8081", LogLevel: slog.LevelInfo,
				DatabasePath: "/tmp/shared/orders.db", UserWait: 5 * time.Second, ShutdownTimeout: 10 * time.Second,
				Saga: true, PaymentLimit: 1000_00, PublishTimeout: 10 * time.Second,
				ZipkinEndpoint: "http://127.0.0.1:9411/api/v2/spans", ServiceName: "order-service",
			},
		},
		{name: "port out of range", env: map[string]string{"HTTP_PORT": "70000"}, wantErr: []string{"HTTP_PORT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(func(k string) string { return tt.env[k] })
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("Parse() = %+v, want an error", got)
				}
				for _, name := range tt.wantErr {
					if !strings.Contains(err.Error(), name) {
						t.Errorf("error %q does not name %s", err, name)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
