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
