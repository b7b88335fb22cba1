package scorer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// exact: the output, trimmed of surrounding white space, equals the
// expected string, trimmed too. A non-string expected value (a number, an
// object) is compared as JSON: the output must parse to an equal value.
func (s *Scorer) exact(_ context.Context, in Input) (Result, error) {
	out := strings.TrimSpace(in.Output)
	if want, ok := in.Case.Expected.(string); ok {
		return verdict(out == strings.TrimSpace(want), fmt.Sprintf("output %s is not the expected %s", clip(out), clip(strings.TrimSpace(want)))), nil
	}
	want, err := normalJSON(in.Case.Expected)
	if err != nil {
		return Result{}, s.errorf("expected value of row %s: %v", in.Case.ID, err)
	}
	var got any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		return verdict(false, fmt.Sprintf("output is not JSON, the expected value is %s", clip(string(mustJSON(want))))), nil
	}
	return verdict(reflect.DeepEqual(got, want), fmt.Sprintf("output %s is not the expected %s", clip(out), clip(string(mustJSON(want))))), nil
}

// normalJSON round-trips v through JSON so numbers compare as float64.
func normalJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	return out, json.Unmarshal(b, &out)
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// contains, icontains (Unicode lower-casing of both sides), not-contains.
func (s *Scorer) contains(_ context.Context, in Input) (Result, error) {
	text, out := s.spec.Arg, in.Output
	switch s.spec.Kind {
	case "icontains":
		at := strings.Index(strings.ToLower(out), strings.ToLower(text))
		return verdict(at >= 0, fmt.Sprintf("output does not contain %q (ignoring case)", text)), nil
	case "not-contains":
		at := strings.Index(out, text)
		return verdict(at < 0, fmt.Sprintf("output contains %q at byte %d", text, at)), nil
	}
	return verdict(strings.Contains(out, text), fmt.Sprintf("output does not contain %q", text)), nil
}

// regex: the pattern (Go RE2 syntax) matches somewhere in the output;
// anchor it with ^ and $ to match the whole.
func (s *Scorer) regex(_ context.Context, in Input) (Result, error) {
	return verdict(s.spec.Regexp.MatchString(in.Output), fmt.Sprintf("output does not match /%s/", s.spec.Arg)), nil
}

// json: the output, trimmed, is one JSON value (no code fences).
func (s *Scorer) json(_ context.Context, in Input) (Result, error) {
	if err := oneJSON([]byte(in.Output), new(any)); err != nil {
		return verdict(false, "output is not JSON: "+err.Error()), nil
	}
	return verdict(true, ""), nil
}

// oneJSON decodes exactly one JSON value from b into v, surrounding white
// space allowed, anything else an error.
func oneJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimSpace(b)))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() || dec.InputOffset() != int64(len(bytes.TrimSpace(b))) {
		return fmt.Errorf("unexpected text after the JSON value at byte %d", dec.InputOffset()+1)
	}
	return nil
}

// similarity: Jaccard similarity of the token sets of output and expected.
func (s *Scorer) similarity(_ context.Context, in Input) (Result, error) {
	want, ok := in.Case.Expected.(string)
	if !ok {
		want = string(mustJSON(in.Case.Expected))
	}
	sim := Similarity(in.Output, want)
	r := Result{Value: sim, Pass: passed(sim >= s.spec.Min)}
	if sim < s.spec.Min {
		r.Reason = fmt.Sprintf("similarity %.3f is below %g", sim, s.spec.Min)
	}
	return r, nil
}

// max-latency: the call took at most the duration (1 passes, 0 fails).
func (s *Scorer) maxLatency(_ context.Context, in Input) (Result, error) {
	return verdict(in.Latency <= s.spec.Latency, fmt.Sprintf("took %s, over %s", in.Latency, s.spec.Latency)), nil
}

// max-cost: the call cost at most the amount in USD (1 passes, 0 fails).
func (s *Scorer) maxCost(_ context.Context, in Input) (Result, error) {
	return verdict(in.CostUSD <= s.spec.USD, fmt.Sprintf("cost $%.6f, over $%g", in.CostUSD, s.spec.USD)), nil
}

// clip quotes s for a reason, cut to 60 runes.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
