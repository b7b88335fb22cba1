package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"promptbench/workspace"
)

// withOutputs gives the fixture's entries outputs, as a model would.
func withOutputs(entries []workspace.LogEntry) []workspace.LogEntry {
	for i := range entries {
		if entries[i].Error == "" {
			entries[i].Output = fmt.Sprintf("category: billing (case %s, v%d)", entries[i].Case, entries[i].Version)
		}
	}
	return entries
}

func TestJSONLGolden(t *testing.T) {
	in, entries := fixture()
	got := render(t, "jsonl", in, withOutputs(entries))
	golden(t, "report.jsonl", got)
	lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines, want one per row × variant (24)", len(lines))
	}
	var row jsonlRow
	if err := json.Unmarshal([]byte(lines[3]), &row); err != nil {
		t.Fatal(err)
	}
	if row.Case != "t04" || len(row.Scores) != 2 || row.Scores[1].Error != "exit status 1" || row.Scores[1].Value != nil {
		t.Fatalf("line 4: %+v", row)
	}
}

func TestGitHubGolden(t *testing.T) {
	in, entries := fixture()
	got := render(t, "github", in, entries)
	golden(t, "report.github.md", got)
	first, _, _ := strings.Cut(string(got), "\n")
	if !strings.HasPrefix(first, "**❌ FAIL**") {
		t.Fatalf("first line %q: the badge line must come first", first)
	}
}

// TestHTMLGolden also checks the page is self-contained: no URL, no
// loaded resource, no font or stylesheet from elsewhere.
func TestHTMLGolden(t *testing.T) {
	in, entries := fixture()
	page := render(t, "html", in, withOutputs(entries))
	golden(t, "report.html", page)
	if m := external.Find(page); m != nil {
		t.Errorf("the page reaches out: %q", m)
	}
}

// external finds anything that would make a browser reach the network.
var external = regexp.MustCompile(`(?i)(https?:|src\s*=|href\s*=|url\(|@import|//[a-z0-9.-]+\.[a-z]{2,})`)

// TestHTMLEscapesOutputs: outputs, errors, case IDs and scorer reasons are
// model or user text; none of it may become markup or script.
func TestHTMLEscapesOutputs(t *testing.T) {
	in, entries := fixture()
	hostile := []string{
		`</textarea><script>alert("x")</script>`,
		`<img src=x onerror=alert(1)>`,
		`"quoted" 'single' & </pre></td></tr></table>`,
		"</script><script>alert(2)</script>",
	}
	for i := range entries {
		entries[i].Output = hostile[i%len(hostile)]
		entries[i].Case = workspace.CaseID(fmt.Sprintf("<b>c%02d</b>", i%12))
		for j := range entries[i].Scores {
			entries[i].Scores[j].Comment = `reason "with" <script>`
		}
	}
	entries[23].Error = `provider: <script>alert(3)</script>`
	page := string(render(t, "html", in, entries))
	if n := strings.Count(page, "<script>"); n != 1 {
		t.Errorf("%d <script> tags, want only the page's own", n)
	}
	for _, raw := range []string{"</textarea>", "<img", "<b>c0", "</pre></td></tr></table>", "alert(2)</script>"} {
		if strings.Contains(page, raw) {
			t.Errorf("raw %q in the page", raw)
		}
	}
	for _, esc := range []string{"&lt;/textarea&gt;&lt;script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "&#34;quoted&#34;", "&lt;b&gt;c01&lt;/b&gt;"} {
		if !strings.Contains(page, esc) {
			t.Errorf("escaped %q missing", esc)
		}
	}
	if m := tagWithURL.FindString(page); m != "" {
		t.Errorf("a tag reaches out: %q", m)
	}
}

// tagWithURL is a tag (not escaped text) with an attribute that loads.
var tagWithURL = regexp.MustCompile(`(?i)<[a-z]+[^>]*\s(src|href|action|srcset)\s*=`)

// TestHTMLLargeRunStaysSmall: 5,000 rows × 2 variants show the rows
// where the variants disagree (capped) and the first others, and say how
// many were left out.
func TestHTMLLargeRunStaysSmall(t *testing.T) {
	const n = 5000
	run := workspace.Run{ID: "r", Status: workspace.RunDone, Dataset: "big.jsonl", Variants: []workspace.RunVariant{
		{ID: "p@1", Prompt: "p", Version: 1, Model: "echo/echo"}, {ID: "p@2", Prompt: "p", Version: 2, Model: "echo/echo"}}}
	in := Input{Run: run, Rows: n, Repeat: 1, Scorers: map[string][]string{"p@1": {"contains:x"}, "p@2": {"contains:x"}}}
	var entries []workspace.LogEntry
	for v := range 2 {
		for i := range n {
			pass := i%7 != 0 || v == 0 // 715 rows disagree
			entries = append(entries, workspace.LogEntry{
				ID: fmt.Sprintf("%08d%d", i, v), Prompt: "p", Version: v + 1, Model: "echo/echo",
				Case: workspace.CaseID(fmt.Sprintf("r%05d", i)), Output: strings.Repeat("long output ", 500), Latency: time.Millisecond,
				Scores: []workspace.Score{{Name: "contains", By: "contains:x", Pass: &pass, Value: map[bool]float64{true: 1}[pass]}},
			})
		}
	}
	page := render(t, "html", in, entries)
	rows := 0
	sc := bufio.NewScanner(bytes.NewReader(page))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "<tr") && strings.Contains(sc.Text(), `class="case"`) {
			rows++
		}
	}
	if rows != maxFlagged+firstRows {
		t.Errorf("%d matrix rows, want %d", rows, maxFlagged+firstRows)
	}
	want := fmt.Sprintf("%d rows left out", n-maxFlagged-firstRows)
	if !bytes.Contains(page, []byte(want)) || !bytes.Contains(page, []byte("(715)")) {
		t.Errorf("the page does not say %q and the 715 disagreements", want)
	}
	if len(page) > 4<<20 {
		t.Errorf("page of %d bytes", len(page))
	}
}
