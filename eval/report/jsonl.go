package report

import (
	"bufio"
	"encoding/json"
	"io"
	"iter"
)

// jsonlRow is one line of the jsonl report: one row × variant (× repeat).
// Fields are only ever added (README, "Report formats").
type jsonlRow struct {
	Run          string       `json:"run"`
	Variant      string       `json:"variant"`
	Prompt       string       `json:"prompt"`
	Version      int          `json:"version"`
	Model        string       `json:"model"`
	Case         string       `json:"case"`
	Repeat       int          `json:"repeat"`
	LogID        string       `json:"log_id"`
	Output       string       `json:"output"`
	Error        string       `json:"error,omitempty"`
	Cached       bool         `json:"cached"`
	LatencyMS    float64      `json:"latency_ms"`
	InputTokens  int          `json:"input_tokens"`
	OutputTokens int          `json:"output_tokens"`
	CostUSD      float64      `json:"cost_usd"`
	Scores       []jsonlScore `json:"scores"`
}

// jsonlScore is one scorer's verdict on the row: value and pass are null
// when the scorer failed (error) or gives no pass/fail.
type jsonlScore struct {
	Scorer string   `json:"scorer"`
	Value  *float64 `json:"value"`
	Pass   *bool    `json:"pass"`
	Reason string   `json:"reason,omitempty"`
	Error  string   `json:"error,omitempty"`
}

// WriteJSONL writes one JSON object per line for each row × variant (×
// repeat), variant by variant in case order, as the rows stream in.
func WriteJSONL(w io.Writer, r *Report, rows iter.Seq2[CaseRow, error]) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	specs := map[string][]string{}
	for _, v := range r.Variants {
		for _, s := range v.Scorers {
			specs[v.ID] = append(specs[v.ID], s.Spec)
		}
	}
	for row, err := range rows {
		if err != nil {
			return err
		}
		line := jsonlRow{
			Run: r.Run, Variant: row.Variant, Prompt: row.Prompt, Version: row.Version, Model: row.Model,
			Case: row.Case, Repeat: row.Repeat, LogID: row.Entry, Output: row.Output, Error: row.Error, Cached: row.Cached,
			LatencyMS: ms(row.Latency), InputTokens: row.InputTokens, OutputTokens: row.OutputTokens, CostUSD: row.Cost,
			Scores: []jsonlScore{},
		}
		for _, spec := range specs[row.Variant] {
			s, ok := row.scoreBy(spec)
			if !ok {
				continue
			}
			js := jsonlScore{Scorer: spec, Reason: s.Comment}
			if IsScorerError(s) {
				js.Error = scorerErrorText(s)
			} else {
				v := s.Value
				js.Value, js.Pass = &v, s.Pass
			}
			line.Scores = append(line.Scores, js)
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}
