//go:build linux

package main

import (
	"bufio"
	"bytes"
	"io"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// BenchmarkProcessTUIFirstFrame: the terminal UI as a user starts it, on a
// 100×30 terminal (a pseudo-terminal made by util-linux's script), from
// exec to the first frame showing the whole library of 10,000 prompts;
// then q. Reports ms to that frame and the process's peak RSS.
//
//	go test -run '^$' -bench ProcessTUI -benchtime 10x ./cmd/promptbench
func BenchmarkProcessTUIFirstFrame(b *testing.B) {
	bin, ws := benchFixture(b)
	script, err := exec.LookPath("script")
	if err != nil {
		b.Skip("needs script(1) from util-linux for a pseudo-terminal")
	}
	var total time.Duration
	var peak int64
	for b.Loop() {
		elapsed, rss := firstFrame(b, script, bin, ws)
		total += elapsed
		peak = max(peak, rss)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/frame")
	b.ReportMetric(float64(peak)/1024, "MB-peak-rss")
}

func firstFrame(b *testing.B, script, bin, ws string) (time.Duration, int64) {
	b.Helper()
	// stty gives the pseudo-terminal a size before promptbench starts.
	cmd := exec.Command(script, "-qfec", "stty cols 100 rows 30 && exec "+bin+" --workspace "+ws, "/dev/null")
	cmd.Env = append(cmd.Environ(), "TERM=xterm-256color", "PROMPTBENCH_NO_BACKGROUND=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	seen := make(chan time.Duration, 1)
	go func() {
		r := bufio.NewReader(stdout)
		var out []byte
		buf := make([]byte, 32<<10)
		reported := false
		for {
			n, err := r.Read(buf)
			out = append(out, buf[:n]...)
			if !reported && bytes.Contains(out, []byte("10000 prompts")) {
				seen <- time.Since(start)
				reported = true
			}
			if err != nil {
				if !reported {
					close(seen)
				}
				io.Copy(io.Discard, r)
				return
			}
		}
	}()
	var elapsed time.Duration
	select {
	case d, ok := <-seen:
		if !ok {
			b.Fatal("promptbench ended before drawing the library")
		}
		elapsed = d
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		b.Fatal("no frame with the library within 30s")
	}
	io.WriteString(stdin, "q")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			b.Fatalf("promptbench: %v", err)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		b.Fatal("q did not quit within 10s")
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss // KiB on Linux: script and the promptbench it waited for
	}
	return elapsed, rss
}
