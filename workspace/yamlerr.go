package workspace

import (
	"errors"
	"reflect"
	"strings"
	"unicode"

	"github.com/goccy/go-yaml"
)

// YAMLError turns a go-yaml error into "FILE:LINE:COLUMN: message" marked
// ErrInvalid, so that every YAML input names where it went wrong.
func YAMLError(file string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && te.Token != nil && te.Token.Position != nil {
		field := "value"
		if te.StructFieldName != nil {
			field = yamlFieldName(*te.StructFieldName)
		}
		return Invalidf("%s:%d:%d: %s must be %s, not %s", file, te.Token.Position.Line, te.Token.Position.Column, field, kindName(te.DstType), kindName(te.SrcType))
	}
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tok := ye.GetToken(); tok != nil && tok.Position != nil {
			return Invalidf("%s:%d:%d: %s", file, tok.Position.Line, tok.Position.Column, ye.GetMessage())
		}
		return Invalidf("%s: %s", file, ye.GetMessage())
	}
	return Invalidf("%s: %v", file, err)
}

// unmarshalYAML decodes data into v and turns a panic inside go-yaml (its
// decoder panics on some malformed inputs that fuzzing found, such as
// "messages: !0000\n00") into an error naming the file, so that bad input
// never crashes the program.
func unmarshalYAML(file string, data []byte, v any, opts ...yaml.DecodeOption) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Invalidf("%s: not valid YAML (the parser failed: %v)", file, r)
		}
	}()
	if err := yaml.UnmarshalWithOptions(data, v, opts...); err != nil {
		return YAMLError(file, err)
	}
	return nil
}

// yamlFieldName turns go-yaml's "promptFileYAML.Temperature" into the field a
// user wrote, "temperature".
func yamlFieldName(goName string) string {
	if i := strings.LastIndexByte(goName, '.'); i >= 0 {
		goName = goName[i+1:]
	}
	var sb strings.Builder
	for i, r := range goName {
		if unicode.IsUpper(r) {
			if i > 0 {
				sb.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// kindName says what a Go type is in the words of a YAML file.
func kindName(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	}
	return "a " + t.Kind().String()
}
