package scorer

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"strings"

	"promptbench/workspace"
)

// Judge calls the judge model with the rendered rubric and returns its
// reply. The front end implements it with a provider, the response cache
// and the log, asking for a JSON object where the provider supports it.
type Judge func(ctx context.Context, call JudgeCall) (JudgeReply, error)

// JudgeCall is one request to the judge model.
type JudgeCall struct {
	Rubric   *workspace.Prepared // the rubric version, for its config
	Model    string              // the judge model: Options.JudgeModel, else the rubric version's
	Messages []workspace.Message // the rubric rendered for this case
}

// JudgeReply is the judge model's answer.
type JudgeReply struct {
	Text  string
	Model string // the model that answered, if the provider says
}

// JudgeInfo records who judged: the rubric's ref, version hash and model.
type JudgeInfo struct {
	Ref   string `json:"ref"`
	Hash  string `json:"hash"`
	Model string `json:"model"`
}

func (j JudgeInfo) String() string {
	h := j.Hash
	if len(h) > 12 {
		h = h[:12]
	}
	return fmt.Sprintf("%s %s on %s", j.Ref, h, j.Model)
}

// Rubric variables a judge's rubric prompt may use besides the row's own;
// they win over row variables of the same name.
const (
	RubricInput    = "input"    // the rendered request, as text
	RubricOutput   = "output"   // the output being judged
	RubricExpected = "expected" // the row's expected value; empty when it has none
)

func (s *Scorer) buildJudge(ctx context.Context, opt Options) error {
	if opt.Rubric == nil || opt.Judge == nil {
		return &SpecError{Spec: s.spec.Spec, Msg: "judge scorers need a judge model here"}
	}
	rubric, err := opt.Rubric(ctx, s.spec.Arg)
	if err != nil {
		return &SpecError{Spec: s.spec.Spec, Msg: "rubric: " + err.Error()}
	}
	model := opt.JudgeModel
	if model == "" {
		model = rubric.Version.Config.Model
	}
	if model == "" {
		return &SpecError{Spec: s.spec.Spec, Msg: fmt.Sprintf("rubric %s@%d has no model; choose the judge model", rubric.Prompt.Name, rubric.Version.Number)}
	}
	info := &JudgeInfo{Ref: fmt.Sprintf("%s@%d", rubric.Prompt.Name, rubric.Version.Number), Hash: rubric.Version.Hash, Model: model}
	s.score = func(ctx context.Context, in Input) (Result, error) {
		r, err := rubric.Render(RubricVars(in))
		if err != nil {
			return Result{}, s.errorf("rubric %s: %v", info.Ref, err)
		}
		reply, err := opt.Judge(ctx, JudgeCall{Rubric: rubric, Model: model, Messages: r.Messages})
		if err != nil {
			e := s.errorf("judge call: %v", err)
			e.Err = err
			return Result{}, e
		}
		res, err := ParseJudgeReply(reply.Text)
		if err != nil {
			return Result{}, s.errorf("%v", err)
		}
		who := *info
		if reply.Model != "" {
			who.Model = reply.Model
		}
		res.Judge = &who
		return res, nil
	}
	return nil
}

// RubricVars are the variables a rubric renders with: the row's, then
// input, output and expected over them.
func RubricVars(in Input) map[string]any {
	vars := make(map[string]any, len(in.Case.Vars)+3)
	maps.Copy(vars, in.Case.Vars)
	vars[RubricInput] = MessagesText(in.Messages)
	vars[RubricOutput] = in.Output
	switch e := in.Case.Expected.(type) {
	case nil:
		vars[RubricExpected] = ""
	case string:
		vars[RubricExpected] = e
	default:
		vars[RubricExpected] = string(mustJSON(e))
	}
	return vars
}

// MessagesText shows rendered messages as a judge reads them:
// "[role]" on its own line, the content, a blank line between messages.
func MessagesText(msgs []workspace.Message) string {
	var b strings.Builder
	for i, m := range msgs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "[%s]\n%s", m.Role, m.Content)
	}
	return b.String()
}

// ParseJudgeReply reads a judge's reply: exactly one JSON object with a
// "score" from 0 to 1, a boolean "pass" and a string "reason" (other
// fields are ignored). Anything else, code fences included, is an error,
// never a zero score.
func ParseJudgeReply(text string) (Result, error) {
	var raw map[string]json.RawMessage
	if err := oneJSON([]byte(text), &raw); err != nil || raw == nil {
		return Result{}, fmt.Errorf(`judge reply %s is not one JSON object {"score": 0..1, "pass": bool, "reason": "..."}`, clip(text))
	}
	var score float64
	var pass bool
	var reason string
	if err := field(raw, "score", &score); err != nil {
		return Result{}, err
	}
	if math.IsNaN(score) || score < 0 || score > 1 {
		return Result{}, fmt.Errorf(`judge reply: "score" %g is outside 0..1`, score)
	}
	if err := field(raw, "pass", &pass); err != nil {
		return Result{}, err
	}
	if err := field(raw, "reason", &reason); err != nil {
		return Result{}, err
	}
	return Result{Value: score, Pass: passed(pass), Reason: reason}, nil
}

// field decodes raw[name] into v, which must be there and not null.
func field(raw map[string]json.RawMessage, name string, v any) error {
	b, ok := raw[name]
	if !ok {
		return fmt.Errorf("judge reply has no %q", name)
	}
	want := map[string]string{"score": "a number", "pass": "true or false", "reason": "a string"}[name]
	if string(b) == "null" || json.Unmarshal(b, v) != nil {
		return fmt.Errorf("judge reply: %q is %s, not %s", name, clip(string(b)), want)
	}
	return nil
}
