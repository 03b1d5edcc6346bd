package main

import (
	"io"
	"sync"
)

// termWriter shares a terminal between log lines and a live status line: every
// write first clears the status line, then redraws it below the new output, so
// that logs never garble the progress display.
type termWriter struct {
	mu     sync.Mutex
	w      io.Writer
	status string // the live line currently shown, "" when none
}

// Write implements io.Writer for the logger.
func (t *termWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.status != "" {
		_, _ = io.WriteString(t.w, "\r\033[K")
	}
	n, err := t.w.Write(p)
	if t.status != "" && err == nil {
		_, _ = io.WriteString(t.w, t.status)
	}
	return n, err
}

// setStatus replaces the live line; "" removes it.
func (t *termWriter) setStatus(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.w, "\r\033[K"+line)
	t.status = line
}
