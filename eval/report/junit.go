package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
)

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Name    string       `xml:"name,attr"`
	Tests   int          `xml:"tests,attr"`
	Fails   int          `xml:"failures,attr"`
	Errors  int          `xml:"errors,attr"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name   string      `xml:"name,attr"`
	Tests  int         `xml:"tests,attr"`
	Fails  int         `xml:"failures,attr"`
	Errors int         `xml:"errors,attr"`
	Cases  []junitCase `xml:"testcase"`
}

type junitCase struct {
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
// are variants; CI dashboards load it as a test report.
func WriteJUnit(w io.Writer, r *Report, rows []CaseRow) error {
	doc := junitSuites{Name: "promptbench " + r.Run}
	index := map[string]int{}
	specs := map[string][]string{}
	for _, v := range r.Variants {
		index[v.ID] = len(doc.Suites)
		doc.Suites = append(doc.Suites, junitSuite{Name: v.ID + " · " + v.Model})
		for _, s := range v.Scorers {
			specs[v.ID] = append(specs[v.ID], s.Spec)
		}
	}
	for _, row := range rows {
		i, ok := index[row.Variant]
		if !ok {
			continue
		}
		name := row.Case
		if r.Repeat > 1 {
			name += " #" + strconv.Itoa(row.Repeat+1)
		}
		tc := junitCase{Name: name, Classname: row.Variant, Time: fmt.Sprintf("%.3f", row.Latency.Seconds())}
		if row.Error != "" {
			tc.Errors = append(tc.Errors, junitResult{Message: "the call failed", Type: "provider", Text: row.Error})
		}
		for _, spec := range specs[row.Variant] {
			s, ok := row.scoreBy(spec)
			switch {
			case !ok:
			case IsScorerError(s):
				tc.Errors = append(tc.Errors, junitResult{Message: spec + ": scorer error", Type: "scorer", Text: scorerErrorText(s)})
			case s.Pass != nil && !*s.Pass:
				tc.Failures = append(tc.Failures, junitResult{Message: spec + " failed", Type: spec, Text: s.Comment})
			}
		}
		su := &doc.Suites[i]
		su.Tests++
		doc.Tests++
		if len(tc.Errors) > 0 {
			su.Errors++
			doc.Errors++
		} else if len(tc.Failures) > 0 {
			su.Fails++
			doc.Fails++
		}
		su.Cases = append(su.Cases, tc)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
