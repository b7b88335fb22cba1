package scorer

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// buildSchema compiles the json-schema spec's file once; a file that does
// not load or compile is a *SpecError. Only local files load: a $ref to a
// URL other than the file's own folder fails at compile, not at scoring.
func (s *Scorer) buildSchema(opt Options) error {
	path, err := filepath.Abs(resolve(opt.Dir, s.spec.Arg))
	if err != nil {
		return &SpecError{Spec: s.spec.Spec, Msg: err.Error()}
	}
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(path)
	if err != nil {
		return &SpecError{Spec: s.spec.Spec, Msg: "schema does not compile: " + oneLine(err.Error())}
	}
	s.score = func(_ context.Context, in Input) (Result, error) {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(strings.TrimSpace(in.Output)))
		if err != nil {
			return verdict(false, "output is not JSON: "+err.Error()), nil
		}
		err = sch.Validate(doc)
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return verdict(false, firstViolation(ve)), nil
		}
		if err != nil {
			return Result{}, s.errorf("validate: %v", err)
		}
		return verdict(true, ""), nil
	}
	return nil
}

// firstViolation follows the first cause down to a leaf: the most precise
// message, such as "at '/total': got string, want number".
func firstViolation(ve *jsonschema.ValidationError) string {
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	return ve.Error() // a leaf says only its own "at '/path': message"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
