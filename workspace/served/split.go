package served

import (
	"bytes"
	"fmt"
	"regexp"
	"sync"

	"promptbench/workspace/exportfile"
)

// The file is cut into its items here and each item is read by
// exportfile's piece readers — the fast reader of export's own layout,
// go-yaml behind it — which import reads with too. Import's streaming
// splitter is not used: it is woven into the import's merge pipeline and
// journal, while an application needs only the prompts and experiments
// of a file it reads whole (a 10,000-prompt file is tens of MB).

// topKey is compiled when a file is first read, not at start-up.
var topKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*):(\s.*)?$`) })

// item is one list item of a section, dedented to column 0.
type item struct {
	text []byte
	line int // its first line in the file, 1-based
}

// sections cuts data into the schema value and the items of the prompts
// and experiments lists; taxonomy, logs and runs are passed over.
func sections(name string, data []byte) (schema string, prompts, experiments []item, err error) {
	var (
		sec     string
		listInd = -1
		cur     *item
		buf     []byte
	)
	flush := func() {
		if cur == nil {
			return
		}
		cur.text = buf
		switch sec {
		case "prompts":
			prompts = append(prompts, *cur)
		case "experiments":
			experiments = append(experiments, *cur)
		}
		cur, buf = nil, nil
	}
	seen := map[string]int{}
	n := 0
	for len(data) > 0 {
		n++
		end := bytes.IndexByte(data, '\n')
		var line []byte // a view of data; items copy what they keep
		if end < 0 {
			line, data = data, nil
		} else {
			line, data = data[:end], data[end+1:]
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		trimmed := bytes.TrimLeft(line, " ")
		blank := len(bytes.TrimSpace(trimmed)) == 0 || trimmed[0] == '#'
		ind := len(line) - len(trimmed)
		dash := !blank && trimmed[0] == '-' && (len(trimmed) == 1 || trimmed[1] == ' ')
		inList := sec == "prompts" || sec == "experiments"
		// Sections passed over: their items at column 0 are not fields.
		passed := sec == "logs" || sec == "runs" || sec == "audit"
		if ind == 0 && !blank && !(dash && (inList && listInd <= 0 || passed)) {
			if string(line) == "---" && len(seen) == 0 {
				continue
			}
			m := topKey().FindSubmatch(line)
			if m == nil {
				return "", nil, nil, exportfile.Invalidf("%s:%d: text at column 0 that is not a field of an export file", name, n)
			}
			flush()
			key := string(m[1])
			if prev, ok := seen[key]; ok {
				return "", nil, nil, exportfile.Invalidf("%s:%d: %s appears twice (first on line %d)", name, n, key, prev)
			}
			seen[key] = n
			sec, listInd = key, -1
			val := bytes.TrimSpace(m[2])
			switch key {
			case "schema":
				var doc struct {
					Schema string `yaml:"schema"`
				}
				if _, err := exportfile.DecodeChunk(name, line, n-1, exportfile.DefaultLimits(), 1000, &doc); err != nil {
					return "", nil, nil, err
				}
				schema = doc.Schema
			case "prompts", "experiments":
				if len(val) > 0 && string(val) != "[]" {
					return "", nil, nil, exportfile.Invalidf("%s:%d: %s is not a block list as export writes it; export the library again", name, n, key)
				}
			case "taxonomy", "logs", "runs", "audit":
			default:
				return "", nil, nil, exportfile.Invalidf("%s:%d: unknown field %q; an export file has schema, taxonomy, prompts, experiments, logs, runs and audit", name, n, key)
			}
			continue
		}
		if !inList {
			continue
		}
		if !blank && listInd < 0 {
			if trimmed[0] != '-' {
				return "", nil, nil, exportfile.Invalidf("%s:%d: %s: is not followed by a list", name, n, sec)
			}
			listInd = ind
		}
		if dash && ind == listInd {
			flush()
			cur = &item{line: n}
		}
		if cur == nil {
			continue
		}
		buf = append(append(buf, line[min(ind, listInd):]...), '\n')
	}
	flush()
	if schema != exportfile.Schema {
		return "", nil, nil, exportfile.Invalidf("%s: schema is %q, not %s: this is not a promptbench export file", name, schema, exportfile.Schema)
	}
	return schema, prompts, experiments, nil
}

// decodePrompt reads one prompt item: the fast reader, else go-yaml, whose
// errors name the file and line.
func decodePrompt(name string, it item) (exportfile.Prompt, error) {
	if fp, ok := exportfile.FastPrompt(it.text); ok {
		return fp, nil
	}
	var fps []exportfile.Prompt
	if _, err := exportfile.DecodeChunk(name, it.text, it.line-1, exportfile.DefaultLimits(), exportfile.DefaultLimits().YAMLTokens, &fps); err != nil {
		return exportfile.Prompt{}, err
	}
	if len(fps) != 1 {
		return exportfile.Prompt{}, exportfile.Invalidf("%s:%d: expected one prompt here", name, it.line)
	}
	return fps[0], nil
}

func decodeExperiment(name string, it item) (exportfile.Experiment, error) {
	var exps []exportfile.Experiment
	if _, err := exportfile.DecodeChunk(name, it.text, it.line-1, exportfile.DefaultLimits(), exportfile.DefaultLimits().YAMLTokens, &exps); err != nil {
		return exportfile.Experiment{}, err
	}
	if len(exps) != 1 {
		return exportfile.Experiment{}, fmt.Errorf("%s:%d: expected one experiment here: %w", name, it.line, exportfile.ErrInvalid)
	}
	return exps[0], nil
}
