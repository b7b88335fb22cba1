package workspace

import (
	"errors"

	"github.com/goccy/go-yaml"
)

// YAMLError turns a go-yaml error into "FILE:LINE:COLUMN: message" marked
// ErrInvalid, so that every YAML input names where it went wrong.
func YAMLError(file string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tok := ye.GetToken(); tok != nil && tok.Position != nil {
			return invalidf("%s:%d:%d: %s", file, tok.Position.Line, tok.Position.Column, ye.GetMessage())
		}
		return invalidf("%s: %s", file, ye.GetMessage())
	}
	return invalidf("%s: %v", file, err)
}

// unmarshalYAML decodes data into v and turns a panic inside go-yaml (its
// decoder panics on some malformed inputs that fuzzing found, such as
// "messages: !0000\n00") into an error naming the file, so that bad input
// never crashes the program.
func unmarshalYAML(file string, data []byte, v any, opts ...yaml.DecodeOption) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = invalidf("%s: not valid YAML (the parser failed: %v)", file, r)
		}
	}()
	if err := yaml.UnmarshalWithOptions(data, v, opts...); err != nil {
		return YAMLError(file, err)
	}
	return nil
}
