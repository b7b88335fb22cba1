package exchange

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"promptbench/workspace"
	"promptbench/workspace/exportyaml"
)

// genExport writes an export file of prompts × versions, each version with
// msgs user messages made by text, in export's layout.
func genExport(prompts, versions, msgs int, text func(p, v, m int) string) string {
	var b strings.Builder
	b.WriteString("schema: promptbench/v1\nprompts:\n")
	for p := range prompts {
		fmt.Fprintf(&b, "- name: p%d\n  created: \"2026-11-01T12:00:00Z\"\n  versions:\n", p)
		for v := 1; v <= versions; v++ {
			var ms []workspace.Message
			for m := range msgs {
				ms = append(ms, workspace.Message{Role: workspace.RoleUser, Content: text(p, v, m)})
			}
			fmt.Fprintf(&b, "  - number: %d\n    hash: %s\n", v, workspace.ContentHash(ms, workspace.ModelConfig{}))
			if v > 1 {
				fmt.Fprintf(&b, "    parent: %d\n", v-1)
			}
			fmt.Fprintf(&b, "    author: alice\n    time: \"2026-11-01T12:%02d:00Z\"\n    messages:\n", v%60)
			for _, m := range ms {
				fmt.Fprintf(&b, "    - role: user\n      content: %s\n", exportyaml.Quote(m.Content))
			}
		}
	}
	return b.String()
}

func plainText(p, v, m int) string { return fmt.Sprintf("prompt %d version %d message %d", p, v, m) }

// lineOfText is the 1-based line where the nth occurrence (from 1) of sub
// starts.
func lineOfText(s, sub string, nth int) int {
	at := 0
	for range nth {
		i := strings.Index(s[at:], sub)
		if i < 0 {
			return -1
		}
		at += i + 1
	}
	return strings.Count(s[:at-1], "\n") + 1
}

// TestImportRefusesHostileShapes: each limit, made small, refuses a file
// past it with file, line and what to do, and writes nothing.
func TestImportRefusesHostileShapes(t *testing.T) {
	two := genExport(1, 1, 1, plainText)
	logs := func(n int) string {
		var b strings.Builder
		b.WriteString("logs:\n")
		for i := range n {
			fmt.Fprintf(&b, "- prompt: p0\n  version: 1\n  id: log%d\n  entry:\n    output: hi\n", i)
		}
		return b.String()
	}
	runs := "logs: []\nruns:\n- id: r1\n  entry:\n    status: done\n- id: r2\n  entry:\n    status: done\n"
	dup := genExport(2, 1, 1, plainText)
	dup = strings.Replace(dup, "- name: p1\n", "- name: p0\n", 1)
	badUTF8 := strings.Replace(two, "prompt 0 version 1", "prompt \xff version 1", 1)
	utf8Line := lineOfText(two, "prompt 0 version 1", 1)
	utf8Offset := strings.Index(badUTF8, "\xff")
	utf8Column := utf8Offset - strings.LastIndex(badUTF8[:utf8Offset], "\n")
	flow := "schema: promptbench/v1\nprompts:\n- name: p0\n  versions:\n  - number: 1\n    stop: [" + strings.Repeat("a, ", 600) + "a]\n"
	tests := []struct {
		name  string
		limit func(*workspace.ImportLimits)
		data  string
		want  string
	}{
		{"prompts", func(l *workspace.ImportLimits) { l.Prompts = 2 }, genExport(3, 1, 1, plainText),
			fmt.Sprintf("lib.yaml:%d: more than 2 prompts", lineOfText(genExport(3, 1, 1, plainText), "- name: p2", 1))},
		{"versions of a prompt", func(l *workspace.ImportLimits) { l.PromptVersions = 2 }, genExport(1, 3, 1, plainText),
			fmt.Sprintf("lib.yaml:%d: versions[2]: prompt p0 has more than 2 versions", lineOfText(genExport(1, 3, 1, plainText), "  - number: 3", 1))},
		{"versions in the file", func(l *workspace.ImportLimits) { l.Versions = 3 }, genExport(2, 2, 1, plainText), "versions[1]: more than 3 versions in the file"},
		{"messages", func(l *workspace.ImportLimits) { l.Messages = 2 }, genExport(1, 1, 3, plainText), "lib.yaml:11: versions[0].messages: 3 messages; at most 2"},
		{"log entries", func(l *workspace.ImportLimits) { l.Logs = 2 }, two + logs(3), "logs[2]: more than 2 log entries"},
		{"runs", func(l *workspace.ImportLimits) { l.Runs = 1 }, two + runs, "runs[1]: more than 1 runs"},
		{"one text", func(l *workspace.ImportLimits) { l.TextBytes = 20 }, two, "lib.yaml:12: versions[0].messages[0].content: 28 bytes; one message text is limited to 20 bytes"},
		{"one version", func(l *workspace.ImportLimits) { l.ItemBytes = 200 }, genExport(1, 1, 1, func(int, int, int) string { return strings.Repeat("x", 150) }),
			"lib.yaml:6: this version is larger than 200 bytes"},
		{"one line", func(l *workspace.ImportLimits) { l.ItemBytes = 300 }, genExport(1, 1, 1, func(int, int, int) string { return strings.Repeat("x", 400) }),
			"lib.yaml:12: line longer than 300 bytes"},
		{"the file", func(l *workspace.ImportLimits) { l.Bytes = 200 }, genExport(3, 1, 1, plainText), "the file is larger than 200 bytes"},
		{"repeated prompt", nil, dup, fmt.Sprintf(`lib.yaml:%d: prompt "p0" appears twice (first on line 3)`, lineOfText(dup, "- name: p0", 2))},
		{"invalid UTF-8", nil, badUTF8, fmt.Sprintf("lib.yaml:%d: byte offset %d (column %d, 0xff) is not valid UTF-8", utf8Line, utf8Offset, utf8Column)},
		{"other layout too large", func(l *workspace.ImportLimits) { l.OtherLayoutBytes = 100 }, strings.Repeat("- name: junk\n", 20),
			"lib.yaml:1: not in the layout `promptbench export` writes (a list item at the top level)"},
		{"too many tokens", func(l *workspace.ImportLimits) { l.YAMLTokens = 500 }, flow, "lib.yaml:5: the piece starting here has about"},
		{"deep compact nesting", nil, "schema: promptbench/v1\nprompts:\n- name: p0\n  versions:\n  - " + strings.Repeat("- ", 2000) + "x\n", "lib.yaml:5: indented more than 1024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := workspace.DefaultImportLimits()
			if tt.limit != nil {
				tt.limit(&lim)
			}
			ws := newTestWorkspace(t)
			_, err := Import(context.Background(), ws, "lib.yaml", strings.NewReader(tt.data), ImportOptions{Limits: &lim})
			if !errors.Is(err, workspace.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v\nwant ErrInvalid with %q", err, tt.want)
			}
			if list, _ := ws.List(context.Background(), workspace.Filter{}); len(list) != 0 {
				t.Fatalf("refused import left %d prompts", len(list))
			}
		})
	}
}

// endless repeats a line after a head forever, counting what is read.
type endless struct {
	head, line string
	read       int
	pos        int
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		src := e.line
		off := e.pos
		if e.pos < len(e.head) {
			src = e.head
		} else {
			off = (e.pos - len(e.head)) % len(e.line)
		}
		c := copy(p[n:], src[off:])
		n += c
		e.pos += c
	}
	e.read += n
	return n, nil
}

// TestImportRefusesEarly feeds the hostile files users met (repeated
// "- name: junk" lines, a single endless string) as endless streams: each
// is refused after reading a bounded amount of it, not all.
func TestImportRefusesEarly(t *testing.T) {
	tests := []struct {
		name    string
		src     *endless
		want    string
		maxRead int
	}{
		{"junk list at the top", &endless{line: "- name: junk\n"}, "not in the layout", 9 << 20},
		{"junk prompts", &endless{head: "schema: promptbench/v1\nprompts:\n", line: "- name: junk\n"}, "stdin:3: versions: prompt junk has no versions", 1 << 20},
		{"endless string", &endless{head: "schema: promptbench/v1\nprompts:\n- name: p\n  versions:\n  - number: 1\n    messages:\n    - role: user\n      content: \"", line: "aaaaaaaa"}, "line longer than 8 MB", 9 << 20},
		{"endless block", &endless{head: "schema: promptbench/v1\nprompts:\n- name: p\n  versions:\n  - number: 1\n    messages:\n    - role: user\n      content: |\n", line: "        aaaa\n"}, "this version is larger than 8 MB", 10 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := newTestWorkspace(t)
			_, err := Import(context.Background(), ws, "stdin", tt.src, ImportOptions{})
			if !errors.Is(err, workspace.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want %q", err, tt.want)
			}
			if tt.src.read > tt.maxRead {
				t.Fatalf("read %d bytes before refusing; want at most %d", tt.src.read, tt.maxRead)
			}
		})
	}
}

var _ io.Reader = (*endless)(nil)

// TestImportStopsAtFirstError: an error in a prompt's header found while
// hundreds of its versions are still being decoded stops the import there,
// with that error (nothing after it is merged).
func TestImportStopsAtFirstError(t *testing.T) {
	file := strings.Replace(genExport(2, 600, 1, plainText), "- name: p0\n", "- name: Bad Name\n", 1)
	_, err := Import(context.Background(), newTestWorkspace(t), "lib.yaml", strings.NewReader(file), ImportOptions{})
	if !errors.Is(err, workspace.ErrInvalid) || !strings.Contains(err.Error(), "lib.yaml:3: name:") {
		t.Fatalf("err = %v", err)
	}
}
