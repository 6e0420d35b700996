module github.com/kafka-polyglot/kafka-polyglot/infra/logwriter

go 1.26.0

require gopkg.in/natefinch/lumberjack.v2 v2.2.1
