// Package hclfmt makes and formats hclwrite tokens for the emitters,
// without the work hclwrite repeats for each fragment:
//
//   - Format writes tokens as canonically formatted text, as
//     hclwrite.Format and File.Bytes (and `terraform fmt`) do, without
//     lexing the text again and without modifying the tokens;
//   - Body writes a file's blocks and attributes as tokens, in order, as
//     hclwrite's Body does without its syntax tree, and makes the tokens
//     of its expressions in an arena recycled once it is formatted;
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
