package workspace

import (
	"strings"
)

const maxNameLen = 128

// ValidateName checks a prompt name: a slug of a-z 0-9 - _ and /, where /
// makes folders, so it may not start or end with / nor hold an empty part.
func ValidateName(name string) error {
	if name == "" {
		return Invalidf("empty prompt name")
	}
	if len(name) > maxNameLen {
		return Invalidf("prompt name %q is longer than %d characters", name, maxNameLen)
	}
	for i, r := range name {
		if !isSlugRune(r) && r != '/' {
			return Invalidf("prompt name %q has %q at position %d; use only a-z, 0-9, -, _ and / (for folders)", name, r, i+1)
		}
	}
	for _, part := range strings.Split(name, "/") {
		if part == "" {
			return Invalidf("prompt name %q has an empty folder part; do not start or end with / or write //", name)
		}
	}
	return nil
}

// ValidateLabel checks a label name: a slug without folders.
func ValidateLabel(label string) error {
	if label == "" {
		return Invalidf("empty label")
	}
	if len(label) > 64 {
		return Invalidf("label %q is longer than 64 characters", label)
	}
	for _, r := range label {
		if !isSlugRune(r) {
			return Invalidf("label %q has %q; use only a-z, 0-9, - and _", label, r)
		}
	}
	if label[0] >= '0' && label[0] <= '9' {
		// "name@3" must stay a version number, never a label.
		return Invalidf("label %q starts with a digit; refs like name@3 mean version numbers", label)
	}
	if isHexPrefix(label) {
		return Invalidf("label %q reads like a hash prefix (name@a1b2c3 names a version by its hash); choose a name with a letter outside a-f", label)
	}
	if label == "latest" {
		return Invalidf("label \"latest\" is reserved: a ref without @ already means the latest version")
	}
	return nil
}

func isSlugRune(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' || r == '_'
}
