package report

import (
	"encoding/csv"
	"io"
	"iter"
	"strconv"
)

// WriteCSV writes one line per row × variant (× repeat): the call's
// figures and output, then for each scorer its value, pass (true, false
// or empty) and scorer error. Columns are the union of the variants'
// scorers, in the order the report lists them. Rows stream: each is
// written as it comes.
func WriteCSV(w io.Writer, r *Report, rows iter.Seq2[CaseRow, error]) error {
	var specs []string
	for _, v := range r.Variants {
		for _, s := range v.Scorers {
			if !contains(specs, s.Spec) {
				specs = append(specs, s.Spec)
			}
		}
	}
	cw := csv.NewWriter(w)
	header := []string{"variant", "case", "repeat", "error", "latency_ms", "input_tokens", "output_tokens", "cost_usd", "output"}
	for _, s := range specs {
		header = append(header, s, s+" pass", s+" error")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for row, err := range rows {
		if err != nil {
			return err
		}
		rec := []string{row.Variant, row.Case, strconv.Itoa(row.Repeat), row.Error,
			strconv.FormatFloat(float64(row.Latency.Microseconds())/1000, 'f', -1, 64),
			strconv.Itoa(row.InputTokens), strconv.Itoa(row.OutputTokens),
			strconv.FormatFloat(row.Cost, 'f', -1, 64), row.Output}
		for _, spec := range specs {
			s, ok := row.scoreBy(spec)
			switch {
			case !ok:
				rec = append(rec, "", "", "")
			case IsScorerError(s):
				rec = append(rec, "", "", scorerErrorText(s))
			default:
				pass := ""
				if s.Pass != nil {
					pass = strconv.FormatBool(*s.Pass)
				}
				rec = append(rec, strconv.FormatFloat(s.Value, 'f', -1, 64), pass, "")
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
