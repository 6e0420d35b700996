package serialization

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// result is one row of the shared results file (bench/serialization/README.md).
type result struct {
	Message  string  `json:"message"`
	Format   string  `json:"format"`
	Library  string  `json:"library"`
	Bytes    int     `json:"bytes"`
	EncodeNs float64 `json:"encode_ns"`
	DecodeNs float64 `json:"decode_ns"`
}

var (
	mu      sync.Mutex
	results []*result
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if out := os.Getenv("BENCH_RESULTS"); out != "" && code == 0 {
		if err := writeResults(out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

func writeResults(path string) error {
	benchtime := "default"
	if f := flag.Lookup("test.benchtime"); f != nil {
		benchtime = f.Value.String()
	}
	doc := map[string]any{
		"language": "go",
		"runtime":  runtime.Version(),
		"harness":  "go test -bench",
		"settings": fmt.Sprintf("-benchtime=%s -count=1, GOMAXPROCS=%d (ns/op of the final run)", benchtime, runtime.GOMAXPROCS(0)),
		"results":  results,
	}
	text, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(text, '\n'), 0o644)
}

// moduleVersion is the version go.mod requires of a dependency (test binaries carry no
// dependency list in their build info).
func moduleVersion(path string) string {
	text, err := os.ReadFile("go.mod")
	if err == nil {
		for _, line := range strings.Split(string(text), "\n") {
			if fields := strings.Fields(line); len(fields) >= 2 && fields[0] == path {
				return fields[1]
			}
		}
	}
	return "(version not in go.mod)"
}

func repoRoot(b *testing.B) string {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		b.Fatal(err)
	}
	return root
}

// BenchmarkSerialization runs encode and decode of each message in each format:
// BenchmarkSerialization/<Message>/<format>/<encode|decode>.
func BenchmarkSerialization(b *testing.B) {
	cases, err := loadCases(repoRoot(b))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range cases {
		short := c.name[strings.LastIndex(c.name, ".")+1:]
		for _, cd := range c.codecs {
			encoded, err := cd.encode(cd.value)
			if err != nil {
				b.Fatalf("%s %s: encode: %v", c.name, cd.format, err)
			}
			back, err := cd.decode(encoded)
			if err != nil || !cd.equal(back, cd.value) {
				b.Fatalf("%s %s: decode(encode(x)) differs from x (err %v)", c.name, cd.format, err)
			}
			row := &result{Message: c.name, Format: cd.format, Library: cd.library, Bytes: len(encoded)}
			mu.Lock()
			results = append(results, row)
			mu.Unlock()
			b.Run(short+"/"+cd.format+"/encode", func(b *testing.B) {
				for b.Loop() {
					_, _ = cd.encode(cd.value)
				}
				row.EncodeNs = perOp(b)
			})
			b.Run(short+"/"+cd.format+"/decode", func(b *testing.B) {
				for b.Loop() {
					_, _ = cd.decode(encoded)
				}
				row.DecodeNs = perOp(b)
			})
		}
	}
}

// perOp is what go test prints as ns/op for the run that just ended.
func perOp(b *testing.B) float64 {
	return float64(b.Elapsed().Nanoseconds()) / float64(b.N)
}
