package exchange

import (
	"context"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"promptbench/workspace"
)

// awkwardTexts are message texts that stress every way export writes a
// string: each must come back from an import byte for byte.
var awkwardTexts = []string{
	"line one\r\nline two\r\n",
	"\tindented with a tab\n  two spaces\ntrailing spaces   \nend",
	"  leading spaces {{x}}",
	"unicode: héllo wörld — 日本語 🎉 and a line separator \u2028 here",
	"---\n# not a comment\nkey: value\n- item\n\"double\" and 'single' quotes\n",
	"schema: promptbench/v2\nprompts:\n- name: evil\n  versions:\n  - number: 1\n",
	strings.Repeat("a long line of words ", 30000),
	"{{#items}}- {{name}}: {{value}}\n{{/items}}",
	"ends with spaces and newlines  \n\n\n",
	"key: value # with a comment-like tail",
	"- starts like a list item",
	"|\n  looks like a block header",
	"control \x01 and escape \x1b[31m characters",
	"...\n---\n...",
	"\n\nstarts with newlines",
	"tab\tin\tthe\tmiddle\t",
	"\"fully quoted\"",
	"@at and `backtick` and %percent and &amp *star !bang",
	"windows\rold mac line\rends",
}

// TestImportRoundTripsAwkwardText commits every awkward text, exports,
// imports into an empty workspace in several ways and expects the very
// same export back: a library that exported cleanly always imports.
func TestImportRoundTripsAwkwardText(t *testing.T) {
	ctx := context.Background()
	a := newTestWorkspace(t)
	for i, s := range awkwardTexts {
		d := text(s)
		desc := "description: with # and \"quotes\"\nand a second line"
		d.Description = &desc
		d.Message = "commit: message # with: awkward 'bits'"
		if _, err := a.Commit(ctx, "odd/"+string(rune('a'+i)), d); err != nil {
			t.Fatalf("commit %q: %v", s, err)
		}
	}
	mustCommit(t, a, "odd/a", workspace.Draft{Messages: msgs(workspace.RoleSystem, awkwardTexts[1], workspace.RoleUser, awkwardTexts[3], workspace.RoleAssistant, awkwardTexts[4])})
	want := exportString(t, a, ExportOptions{})
	spill := workspace.DefaultImportLimits()
	spill.SpillAfter = 1 // every record through the temporary file
	readers := map[string]func() io.Reader{
		"plain":        func() io.Reader { return strings.NewReader(want) },
		"byte by byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(want)) },
		"CRLF":         func() io.Reader { return strings.NewReader(strings.ReplaceAll(want, "\n", "\r\n")) },
		"byte order mark": func() io.Reader {
			return strings.NewReader("\xef\xbb\xbf" + want)
		},
	}
	for name, r := range readers {
		for _, lim := range []*workspace.ImportLimits{nil, &spill} {
			b := newTestWorkspace(t)
			plan, err := Import(ctx, b, "lib.yaml", r(), ImportOptions{Limits: lim})
			if err != nil {
				t.Fatalf("%s: import: %v", name, err)
			}
			if len(plan.NewPrompts) != len(awkwardTexts) {
				t.Fatalf("%s: plan = %+v", name, plan.NewPrompts)
			}
			if got := exportString(t, b, ExportOptions{}); got != want {
				t.Fatalf("%s: the round trip changed the export", name)
			}
		}
	}
}

// TestImportIndentedLayoutStreams: go-yaml's indented lists are read piece
// by piece too, with the right lines in errors.
func TestImportIndentedLayoutStreams(t *testing.T) {
	file := genExport(2, 3, 1, plainText)
	var b strings.Builder
	for line := range strings.SplitAfterSeq(file, "\n") {
		if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "-") {
			b.WriteString("  ")
		}
		b.WriteString(line)
	}
	indented := b.String()
	lim := workspace.DefaultImportLimits()
	lim.OtherLayoutBytes = 0 // no whole-file reading: the stream must take it
	ws := newTestWorkspace(t)
	plan, err := Import(context.Background(), ws, "lib.yaml", strings.NewReader(indented), ImportOptions{Limits: &lim})
	if err != nil || len(plan.NewVersions) != 6 {
		t.Fatalf("import: %v, plan %+v", err, plan.NewVersions)
	}
	bad := strings.Replace(indented, "prompt 1 version 2 message 0", "prompt 1 version 2 message X", 1)
	line := lineOfText(bad, "hash:", 5)
	_, err = Import(context.Background(), newTestWorkspace(t), "lib.yaml", strings.NewReader(bad), ImportOptions{Limits: &lim})
	if err == nil || !strings.Contains(err.Error(), "lib.yaml:"+itoa(line)+": versions[1].hash: hash") {
		t.Fatalf("err = %v; want line %d", err, line)
	}
}
