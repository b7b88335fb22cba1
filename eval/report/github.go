package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// WriteGitHub writes markdown for a CI job summary ($GITHUB_STEP_SUMMARY):
// the pass/fail badge line first, so that the summary's first line says
// whether the prompt change ships, then the markdown report's tables and
// comparisons, and how to see the outputs side by side. No images: a
// summary must not depend on a badge service.
func WriteGitHub(w io.Writer, r *Report) error {
	var b strings.Builder
	b.WriteString(badgeLine(r) + "\n\n")
	fmt.Fprintf(&b, "### promptbench evaluation `%s`\n\n", mdCode(r.Run))
	markdownBody(&b, r)
	fmt.Fprintf(&b, "\n<sub>Outputs side by side: `promptbench report %s --format html -o report.html`; every case: `--format jsonl`.</sub>\n", r.Run)
	_, err := io.WriteString(w, b.String())
	return err
}

// badgeLine is the verdict in one line: PASS, FAIL (a --fail-under
// threshold missed) or the run's status when it did not finish.
func badgeLine(r *Report) string {
	what := fmt.Sprintf("%s · %s", mdCode(filepath.Base(r.Dataset)), r.Shape())
	missed := r.Missed()
	switch {
	case r.Status != "done":
		return fmt.Sprintf("**⚠️ %s** · %s", strings.ToUpper(mdCell(r.Status)), what)
	case len(missed) > 0:
		t := missed[0]
		return fmt.Sprintf("**❌ FAIL** · %d of %d threshold(s) missed (%s on `%s`: %s) · %s",
			len(missed), len(r.Thresholds), mdCell(t.Variant), mdCode(t.Scorer), t.Text(r.Repeat), what)
	case len(r.Thresholds) > 0:
		return fmt.Sprintf("**✅ PASS** · every threshold met (%d) · %s", len(r.Thresholds), what)
	}
	return "**✅ PASS** · " + what
}
