package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
)

// listCLI runs promptbench in-process with a clock that moves one minute
// per command, so that the times `list --json` prints are known.
type listCLI struct {
	t   *testing.T
	dir string
	now time.Time
}

func (c *listCLI) run(stdin string, args ...string) (stdout, stderr string) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	env := map[string]string{"PROMPTBENCH_AUTHOR": "alice", "NO_COLOR": "1"}
	a := newApp(streams{In: strings.NewReader(stdin), Out: &out, Err: &errOut}, func(k string) string { return env[k] }, nil)
	c.now = c.now.Add(time.Minute)
	now := c.now
	a.now = func() time.Time { return now }
	if code := a.execute(context.Background(), append([]string{"--workspace", c.dir}, args...)); code != 0 {
		c.t.Fatalf("promptbench %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String(), errOut.String()
}

// TestListOutput holds `list` and `list --json`, with and without --tag and
// --search, to the bytes they print (testdata/TestListOutput/*.golden):
// columns, labels in order, tags, descriptions cut to one line and
// sanitised in the table, every field and escape in the JSON, times on a
// leap day. Refresh the files after a deliberate change with
// `go test ./cmd/promptbench -run TestListOutput -update`.
func TestListOutput(t *testing.T) {
	c := &listCLI{t: t, dir: filepath.Join(t.TempDir(), ".promptbench"),
		now: time.Date(2028, 2, 28, 23, 58, 0, 123456789, time.UTC)}
	c.run("", "init")
	c.run("Reply to {{ticket}}", "commit", "support/reply", "-m", "first", "--tag", "purpose:support", "--tag", "tone:friendly",
		"--description", "Replies to a customer support ticket", "--model", "openai/gpt-4o-mini")
	c.run("Reply kindly to {{ticket}}", "commit", "support/reply", "-m", "kinder")
	c.run("Reply briefly to {{ticket}}", "commit", "support/reply", "-m", "shorter")
	c.run("", "label", "support/reply@2", "production")
	c.run("", "label", "support/reply@3", "staging")
	c.run("Hi {{x}}", "commit", "a/escapes", "-m", "m", "--tag", "purpose:support",
		"--description", "bad \x1b[31mred\x1b[0m <b>&amp; \"q\" \\ back\ttab\u2028 \x7f del \b\f\nsecond line")
	c.run("Hallo", "commit", "zed/unicode", "-m", "m",
		"--description", "Ünïcødé 日本語 — a description that is rather long, longer than sixty runes for sure")
	for i := range 12 {
		c.run(strings.Repeat("v", i+1), "commit", "bench/many", "-m", "m", "--tag", "tone:formal")
	}
	c.run("", "label", "bench/many@12", "dev")
	c.run("", "label", "bench/many@3", "production")

	for _, tc := range []struct {
		name, stderr string
		args         []string
	}{
		{"table", "", []string{"list"}},
		{"json", "", []string{"list", "--json"}},
		{"tag", "", []string{"list", "--tag", "purpose:support"}},
		{"tag_json", "", []string{"list", "--tag", "purpose:support", "--json"}},
		{"two_tags", "", []string{"list", "--tag", "purpose:support", "--tag", "tone:friendly"}},
		{"search", "", []string{"list", "--search", "ÜNÏ"}},
		{"no_match", "no prompts match\n", []string{"list", "--tag", "purpose:none"}},
		{"no_match_json", "", []string{"list", "--tag", "purpose:none", "--json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr := c.run("", tc.args...)
			if stderr != tc.stderr {
				t.Fatalf("stderr %q, want %q", stderr, tc.stderr)
			}
			golden.RequireEqual(t, out)
		})
	}
}

// TestListManyByTag: past a few hundred matches, `list --tag` scans every
// prompt instead of reading each match; it must print what filtering the
// whole list gives.
func TestListManyByTag(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	if err := buildLargeWorkspace(dir, 2000, 1); err != nil { // 400 prompts with purpose:support
		t.Fatal(err)
	}
	c := &listCLI{t: t, dir: dir, now: time.Now()}
	all, _ := c.run("", "list", "--json")
	var items []json.RawMessage // each prompt's bytes as printed
	if err := json.Unmarshal([]byte(all), &items); err != nil {
		t.Fatal(err)
	}
	want, n := "[\n", 0
	for _, item := range items {
		var p struct{ Tags []string }
		if err := json.Unmarshal(item, &p); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(p.Tags, "purpose:support") {
			if n > 0 {
				want += ",\n"
			}
			want += "  " + string(item)
			n++
		}
	}
	want += "\n]\n"
	if n <= pointReadLimitForTest {
		t.Fatalf("%d matches do not take the scanning path", n)
	}
	if got, _ := c.run("", "list", "--tag", "purpose:support", "--json"); got != want {
		t.Fatalf("list --tag --json is not the filtered list --json:\n%.500s\nwant\n%.500s", got, want)
	}
	table, _ := c.run("", "list", "--tag", "purpose:support")
	if lines := strings.Count(table, "\n"); lines != n+1 {
		t.Fatalf("list --tag printed %d lines for %d prompts", lines, n)
	}
}

// pointReadLimitForTest is workspace's pointReadLimit: above it, a
// listing by tag scans.
const pointReadLimitForTest = 300
