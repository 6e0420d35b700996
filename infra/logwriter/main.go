// Command logwriter runs one stack component with its stdout and stderr in a size-rotated log
// file, so a component that writes a line per record at hundreds of records a second cannot
// fill the disk, and `./polyglot logs --correlation` reads a bounded set of files.
//
//	logwriter FILE -- COMMAND [ARG]...
//
// It starts a second copy of itself as the writer (reading a pipe, writing FILE through
// lumberjack), points its own stdout and stderr at that pipe, then execs COMMAND. The component
// so keeps logwriter's pid and process group: `./polyglot down`, the chaos commands and the load
// tool's CPU accounting see the component itself, with the small writer beside it in the group.
//
// LOG_ROTATE_MB (default 20) is the size at which FILE is rotated to FILE's name plus a time
// stamp (order-service-2026-12-03T11-50-00.000.log); LOG_ROTATE_FILES (default 4) rotated files
// are kept beside it.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"

	"gopkg.in/natefinch/lumberjack.v2"
)

// writerMode is the hidden first argument of the writer copy.
const writerMode = "--write"

func main() {
	if len(os.Args) == 3 && os.Args[1] == writerMode {
		if err := write(os.Args[2]); err != nil {
			fmt.Fprintf(os.Stderr, "logwriter: %v\n", err)
			os.Exit(1)
		}
		return
	}
	file, command, err := parseArgs(os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "logwriter: %v\nusage: logwriter FILE -- COMMAND [ARG]...\n", err)
		os.Exit(2)
	}
	err = run(file, command)
	// run returns only when exec failed; 127 is the shell's "command not found".
	fmt.Fprintf(os.Stderr, "logwriter: %v\n", err)
	os.Exit(127)
}

func parseArgs(args []string) (string, []string, error) {
	if len(args) < 3 || args[1] != "--" {
		return "", nil, errors.New("expected FILE -- COMMAND")
	}
	return args[0], args[2:], nil
}

// run starts the writer and replaces this process with command; it returns only on failure.
func run(file string, command []string) error {
	path, err := exec.LookPath(command[0])
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	writer := exec.Command(self, writerMode, file)
	writer.Stdin = r
	// The writer's own complaints go where ours would: the file the CLI opened for us.
	writer.Stdout, writer.Stderr = os.Stderr, os.Stderr
	if err := writer.Start(); err != nil {
		return fmt.Errorf("starting the log writer: %w", err)
	}
	r.Close()
	// Dup3 without O_CLOEXEC: the pipe stays the component's stdout and stderr across exec.
	for _, fd := range []int{1, 2} {
		if err := syscall.Dup3(int(w.Fd()), fd, 0); err != nil {
			return fmt.Errorf("redirecting fd %d: %w", fd, err)
		}
	}
	w.Close()
	return syscall.Exec(path, command, os.Environ())
}

// write copies stdin to the rotated file until every holder of the pipe has closed it.
func write(file string) error {
	// `down` sends SIGTERM to the whole process group: the writer stays to record the
	// component's last lines and ends when the pipe does (SIGKILL still ends it at once).
	signal.Ignore(syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	out := &lumberjack.Logger{
		Filename:   file,
		MaxSize:    envInt("LOG_ROTATE_MB", 20),
		MaxBackups: envInt("LOG_ROTATE_FILES", 4),
	}
	defer out.Close()
	return copyLines(out, os.Stdin)
}

func envInt(name string, fallback int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return fallback
}
