package report

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
)

type junitCase struct {
	XMLName   xml.Name      `xml:"testcase"`
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failures  []junitResult `xml:"failure,omitempty"`
	Errors    []junitResult `xml:"error,omitempty"`
}

type junitResult struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes one test case per row × variant (× repeat): a failed
// scorer is a <failure>, a provider or scorer error an <error>. Suites
// are variants; CI dashboards load it as a test report. The counts come
// from res, the cases stream from rows (variant by variant): no case is
// held longer than it takes to write it.
func WriteJUnit(w io.Writer, r *Report, res *Results, rows iter.Seq2[CaseRow, error]) error {
	bw := bufio.NewWriter(w)
	counts := make([]junitCounts, len(r.Variants))
	var all junitCounts
	index := map[string]int{}
	specs := map[string][]string{}
	for i, c := range res.junitCounts() {
		if i < len(counts) {
			counts[i] = c
		}
	}
	for i, v := range r.Variants {
		index[v.ID] = i
		for _, s := range v.Scorers {
			specs[v.ID] = append(specs[v.ID], s.Spec)
		}
		all.tests, all.fails, all.errors = all.tests+counts[i].tests, all.fails+counts[i].fails, all.errors+counts[i].errors
	}
	bw.WriteString(xml.Header)
	fmt.Fprintf(bw, "<testsuites name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\">", attr("promptbench "+r.Run), all.tests, all.fails, all.errors)
	open := -1 // the suite whose cases are being written
	openSuite := func(i int) {
		for open < i {
			if open >= 0 {
				closeSuite(bw, counts[open])
			}
			open++
			v := r.Variants[open]
			c := counts[open]
			fmt.Fprintf(bw, "\n  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\">", attr(v.ID+" · "+v.Model), c.tests, c.fails, c.errors)
		}
	}
	for row, err := range rows {
		if err != nil {
			return err
		}
		i, ok := index[row.Variant]
		if !ok || i < open {
			continue
		}
		openSuite(i)
		tc := junitCaseOf(r, row, specs[row.Variant])
		b, err := xml.MarshalIndent(tc, "    ", "  ")
		if err != nil {
			return err
		}
		bw.WriteString("\n")
		bw.Write(b)
		counts[i].written++
	}
	openSuite(len(r.Variants) - 1)
	if open >= 0 {
		closeSuite(bw, counts[open])
	}
	if len(r.Variants) == 0 {
		bw.WriteString("</testsuites>\n")
	} else {
		bw.WriteString("\n</testsuites>\n")
	}
	return bw.Flush()
}

type junitCounts struct{ tests, fails, errors, written int }

func closeSuite(w *bufio.Writer, c junitCounts) {
	if c.written > 0 {
		w.WriteString("\n  ")
	}
	w.WriteString("</testsuite>")
}

// junitCounts counts each variant's test cases, failures and errors, in
// one pass over the results.
func (res *Results) junitCounts() []junitCounts {
	out := make([]junitCounts, len(res.specs))
	res.each(func(cs *caseCells) bool {
		for v := range out {
			cl := cs.at(v)
			if cl == nil {
				continue
			}
			c := &out[v]
			c.tests++
			failed, errored := false, cl.err()
			for _, s := range cl.states {
				switch s {
				case scoreError:
					errored = true
				case scoreFail:
					failed = true
				}
			}
			switch {
			case errored:
				c.errors++
			case failed:
				c.fails++
			}
		}
		return true
	})
	return out
}

func junitCaseOf(r *Report, row CaseRow, specs []string) junitCase {
	name := row.Case
	if r.Repeat > 1 {
		name += " #" + strconv.Itoa(row.Repeat+1)
	}
	tc := junitCase{Name: name, Classname: row.Variant, Time: fmt.Sprintf("%.3f", row.Latency.Seconds())}
	if row.Error != "" {
		tc.Errors = append(tc.Errors, junitResult{Message: "the call failed", Type: "provider", Text: row.Error})
	}
	for _, spec := range specs {
		s, ok := row.scoreBy(spec)
		switch {
		case !ok:
		case IsScorerError(s):
			tc.Errors = append(tc.Errors, junitResult{Message: spec + ": scorer error", Type: "scorer", Text: scorerErrorText(s)})
		case s.Pass != nil && !*s.Pass:
			tc.Failures = append(tc.Failures, junitResult{Message: spec + " failed", Type: spec, Text: s.Comment})
		}
	}
	return tc
}

// attr escapes text for an XML attribute, as encoding/xml does.
func attr(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
