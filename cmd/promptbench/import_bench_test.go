package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"promptbench/workspace"
)

// Imports of the files users met: hostile ones near the 256 MB limit,
// which must be refused quickly and in little memory, and a valid library
// of about the same size. The files are generated in a temporary directory.
// Run: go test -run '^$' -bench LargeImportFiles -benchtime 1x ./cmd/promptbench

func BenchmarkLargeImportFiles(b *testing.B) {
	bin, _ := benchFixture(b)
	dir := b.TempDir()
	const size = 200 << 20
	files := []struct {
		name string
		make func(path string) error
		code int
	}{
		{"junk-list-200MB", func(p string) error { return repeatFile(p, "", "- name: junk\n", size) }, 2},
		{"junk-prompts-200MB", func(p string) error {
			return repeatFile(p, "schema: promptbench/v1\nprompts:\n", "- name: junk\n", size)
		}, 2},
		{"single-string-200MB", func(p string) error {
			return repeatFile(p, "schema: promptbench/v1\nprompts:\n- name: p\n  versions:\n  - number: 1\n    messages:\n    - role: user\n      content: \"", "aaaaaaaaaaaaaaaa", size)
		}, 2},
		{"valid-library-250MB", func(p string) error { return validLibrary(p, 250<<20) }, 0},
	}
	for _, f := range files {
		b.Run(f.name, func(b *testing.B) {
			path := filepath.Join(dir, f.name+".yaml")
			if err := f.make(path); err != nil {
				b.Fatal(err)
			}
			defer os.Remove(path)
			var peak int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ws := filepath.Join(dir, fmt.Sprintf("ws-%s-%d", f.name, i))
				if err := os.MkdirAll(ws, 0o755); err != nil {
					b.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(ws, "config.yaml"), nil, 0o644); err != nil {
					b.Fatal(err)
				}
				kb, code, stderr := timedImport(b, bin, ws, path)
				if code != f.code {
					b.Fatalf("exit %d, want %d: %s", code, f.code, stderr)
				}
				if i == 0 {
					b.Logf("%s: %s", f.name, firstLine(stderr))
				}
				peak = max(peak, kb)
				os.RemoveAll(ws)
			}
			b.StopTimer()
			b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/process")
		})
	}
}

// timedImport runs one import under /usr/bin/time (the peak RSS of a
// child of this large test process would be misreported otherwise).
func timedImport(b *testing.B, bin, ws, file string) (peakKB int64, code int, stderr string) {
	b.Helper()
	timeBin, err := exec.LookPath("time")
	args := []string{"--workspace", ws, "import", file}
	var cmd *exec.Cmd
	if err == nil {
		cmd = exec.Command(timeBin, append([]string{"-f", "%M", bin}, args...)...)
	} else {
		cmd = exec.Command(bin, args...)
	}
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "PROMPTBENCH_AUTHOR=bench", "PROMPTBENCH_NO_BACKGROUND=1")
	var errOut strings.Builder
	cmd.Stderr = &errOut
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		b.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	if timeBin != "" {
		peakKB, _ = strconv.ParseInt(lines[len(lines)-1], 10, 64)
		lines = lines[:len(lines)-1]
	}
	return peakKB, code, strings.Join(lines, "\n")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// repeatFile writes head, then line again and again up to size bytes.
func repeatFile(path, head, line string, size int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(head)
	for n := len(head); n < size; n += len(line) {
		w.WriteString(line)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// validLibrary writes a valid export of about size bytes: prompts of 10
// versions, each a system message in a literal block and a user message.
func validLibrary(path string, size int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("schema: promptbench/v1\nprompts:\n")
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	written := 0
	for p := 0; written < size; p++ {
		head := fmt.Sprintf("- name: lib/prompt-%06d\n  created: \"%s\"\n  tags:\n  - purpose:support\n  versions:\n", p, start.Format(time.RFC3339))
		w.WriteString(head)
		written += len(head)
		for v := 1; v <= 10; v++ {
			system := fmt.Sprintf("You are assistant %d, revision %d.\nAnswer briefly and politely.\nQuote the {{source}} when you can.\n%s\n", p, v, strings.TrimSpace(strings.Repeat("Keep answers short. ", 10)))
			user := fmt.Sprintf("Question %d: {{question}}", v)
			msgs := []workspace.Message{{Role: workspace.RoleSystem, Content: system}, {Role: workspace.RoleUser, Content: user}}
			var b strings.Builder
			fmt.Fprintf(&b, "  - number: %d\n    hash: \"%s\"\n", v, workspace.ContentHash(msgs, workspace.ModelConfig{}))
			if v > 1 {
				fmt.Fprintf(&b, "    parent: %d\n", v-1)
			}
			fmt.Fprintf(&b, "    author: bench\n    time: \"%s\"\n    messages:\n    - role: system\n      content: |\n", start.Add(time.Duration(v)*time.Minute).Format(time.RFC3339))
			for line := range strings.SplitSeq(strings.TrimSuffix(system, "\n"), "\n") {
				fmt.Fprintf(&b, "        %s\n", line)
			}
			fmt.Fprintf(&b, "    - role: user\n      content: \"%s\"\n", user)
			w.WriteString(b.String())
			written += b.Len()
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
