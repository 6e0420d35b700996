package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// chunks hands its parts out one Read at a time, like a pipe.
type chunks struct{ parts []string }

func (c *chunks) Read(p []byte) (int, error) {
	if len(c.parts) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.parts[0])
	c.parts[0] = c.parts[0][n:]
	if c.parts[0] == "" {
		c.parts = c.parts[1:]
	}
	return n, nil
}

// writes records each Write separately.
type writes struct{ got []string }

func (w *writes) Write(p []byte) (int, error) {
	w.got = append(w.got, string(p))
	return len(p), nil
}

func TestCopyLinesWritesOnlyWholeLines(t *testing.T) {
	var w writes
	if err := copyLines(&w, &chunks{parts: []string{"one\ntw", "o\nthr", "ee\n", "no end"}}); err != nil {
		t.Fatal(err)
	}
	want := []string{"one\n", "two\n", "three\n", "no end"}
	if strings.Join(w.got, "|") != strings.Join(want, "|") {
		t.Fatalf("writes %q, want %q", w.got, want)
	}
}

func TestCopyLinesCutsALineLongerThanTheBound(t *testing.T) {
	var out bytes.Buffer
	long := strings.Repeat("x", maxLine+10)
	if err := copyLines(&out, strings.NewReader(long+"\n")); err != nil {
		t.Fatal(err)
	}
	if out.String() != long+"\n" {
		t.Fatalf("lost bytes: got %d, want %d", out.Len(), len(long)+1)
	}
}
