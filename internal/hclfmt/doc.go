// Package hclfmt makes and formats hclwrite tokens for the emitters,
// without the work hclwrite repeats for each fragment:
//
//   - Format and File write tokens as canonically formatted text, as
//     hclwrite.Format and File.Bytes (and `terraform fmt`) do, without
//     lexing the text again and without modifying the tokens;
//   - LexExpression lexes an expression's source into tokens, without
//     parsing it as a file;
//   - Value, String, Object, Tuple, Call, Traversal, Ident and Key make the
//     tokens hclwrite's TokensFor* functions make, without the formatting
//     pass each of those runs on its result.
//
// Since nothing here modifies a token, emitters may share tokens between
// files and goroutines (a constant expression is lexed once). hclwrite's
// own formatters (File.Bytes, Format, TokensFor*) do set SpacesBefore on
// the tokens they are given: the emitters use hclfmt's instead.
package hclfmt
