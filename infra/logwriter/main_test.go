package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// build compiles logwriter into a temporary directory.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "logwriter")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// waitForFile waits (bounded) until the writer has written what `done` looks for.
func waitForFile(t *testing.T, file string, done func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, _ := os.ReadFile(file)
		if done(string(data)) {
			return string(data)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never had what was expected; it has:\n%s", file, data)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestTheComponentKeepsThePidAndBothStreamsReachTheFile(t *testing.T) {
	bin := build(t)
	file := filepath.Join(t.TempDir(), "svc.log")
	cmd := exec.Command(bin, file, "--", "sh", "-c", "echo pid $$; echo oops >&2")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	got := waitForFile(t, file, func(s string) bool { return strings.Contains(s, "oops") })
	if !strings.Contains(got, "pid "+strconv.Itoa(cmd.Process.Pid)+"\n") {
		t.Fatalf("the command did not run as pid %d (exec keeps the pid); the log has:\n%s", cmd.Process.Pid, got)
	}
}

func TestAMissingCommandSaysSoAndExits127(t *testing.T) {
	bin := build(t)
	out, err := exec.Command(bin, filepath.Join(t.TempDir(), "x.log"), "--", "no-such-command-here").CombinedOutput()
	exit, ok := err.(*exec.ExitError)
	if !ok || exit.ExitCode() != 127 || !strings.Contains(string(out), "no-such-command-here") {
		t.Fatalf("want exit 127 naming the command, got %v: %s", err, out)
	}
}

func TestTheFileIsRotatedAtTheSizeAndOldFilesArePruned(t *testing.T) {
	bin := build(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "svc.log")
	// 3 MB of 100-byte lines with a 1 MB limit: the current file and at most 2 rotated ones.
	cmd := exec.Command(bin, file, "--", "sh", "-c", `yes "$(printf '%099d' 7)" | head -n 30000; echo last`)
	cmd.Env = append(os.Environ(), "LOG_ROTATE_MB=1", "LOG_ROTATE_FILES=2")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	waitForFile(t, file, func(s string) bool { return strings.HasSuffix(s, "last\n") })
	deadline := time.Now().Add(10 * time.Second)
	for {
		rotated, _ := filepath.Glob(filepath.Join(dir, "svc-*.log"))
		if len(rotated) == 2 {
			for _, f := range append(rotated, file) {
				data, _ := os.ReadFile(f)
				if len(data) > 1<<20 {
					t.Fatalf("%s has %d bytes, over the 1 MB limit", f, len(data))
				}
				for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
					if len(line) != 99 && line != "last" {
						t.Fatalf("%s has a cut line of %d bytes", f, len(line))
					}
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("want 2 rotated files kept, have %v", rotated)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
