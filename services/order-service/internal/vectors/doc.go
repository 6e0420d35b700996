// Package vectors holds no code of its own: its test checks the generated Go types against
// the shared test vectors in schemas/testdata, by the rules of schemas/testdata/README.md.
package vectors
