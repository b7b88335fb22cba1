package workspace

import "fmt"

// ProblemExperiment is an experiment that does not decode, whose bucket
// ranges do not give every bucket to one variant, or whose variant's
// version is gone or no longer the one it served (its hash differs).
const ProblemExperiment = "experiment-invalid"

// experiments checks every experiment against the versions it serves.
// Nothing here is repairable: an experiment's record says what users
// were served, which only the user can set right.
func (c *checker) experiments() error {
	return c.tx.ScanExperiments(func(name string, b []byte) error {
		e, err := DecodeExperiment(b)
		if err != nil {
			c.add(Problem{Kind: ProblemExperiment, ID: name, Detail: err.Error()})
			return nil
		}
		if err := e.Layout().Valid(); err != nil {
			c.add(Problem{Kind: ProblemExperiment, ID: name, Prompt: e.Prompt, Detail: "bucket ranges: " + err.Error()})
		}
		for _, v := range e.Variants {
			hash, ok := c.versionHash(e.Prompt, v.Version)
			switch {
			case !ok:
				c.add(Problem{Kind: ProblemExperiment, ID: name, Prompt: e.Prompt, Version: v.Version, Detail: fmt.Sprintf("variant %s serves %s@%d, which does not exist", v.Name, e.Prompt, v.Version)})
			case hash != "" && hash != v.Hash:
				c.add(Problem{Kind: ProblemExperiment, ID: name, Prompt: e.Prompt, Version: v.Version, Detail: fmt.Sprintf("variant %s served a version with hash %.12s; %s@%d now has %.12s", v.Name, v.Hash, e.Prompt, v.Version, hash)})
			}
		}
		return nil
	})
}
