package scorer

import (
	"math"
	"testing"
)

// FuzzParseJudgeReply: any reply either parses to a score in 0..1 with a
// pass, or is an error; never a panic, never a NaN.
func FuzzParseJudgeReply(f *testing.F) {
	f.Add(`{"score": 0.5, "pass": true, "reason": "ok"}`)
	f.Add(`{"score": 1e400, "pass": true, "reason": ""}`)
	f.Add("```json\n{}\n```")
	f.Add(`{"score": -0, "pass": false, "reason": "\u0000"}`)
	f.Fuzz(func(t *testing.T, text string) {
		r, err := ParseJudgeReply(text)
		if err != nil {
			return
		}
		if r.Pass == nil || math.IsNaN(r.Value) || r.Value < 0 || r.Value > 1 {
			t.Fatalf("ParseJudgeReply(%q) = %+v", text, r)
		}
	})
}
