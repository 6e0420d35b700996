package main

import (
	"bytes"
	"errors"
	"io"
)

// maxLine bounds a line kept back while waiting for its end; a longer one is written in parts.
const maxLine = 1 << 20

// copyLines copies src to dst in writes that end at a line break, so rotation, which happens
// between writes, never cuts a line across two files.
func copyLines(dst io.Writer, src io.Reader) error {
	chunk := make([]byte, 64<<10)
	var pending []byte
	for {
		n, readErr := src.Read(chunk)
		pending = append(pending, chunk[:n]...)
		cut := bytes.LastIndexByte(pending, '\n') + 1
		if cut == 0 && len(pending) >= maxLine {
			cut = len(pending)
		}
		if readErr != nil {
			cut = len(pending)
		}
		if cut > 0 {
			if _, err := dst.Write(pending[:cut]); err != nil {
				return err
			}
			pending = append(pending[:0], pending[cut:]...)
		}
		if errors.Is(readErr, io.EOF) {
			return nil
		}
		if readErr != nil {
			return readErr
		}
	}
}
