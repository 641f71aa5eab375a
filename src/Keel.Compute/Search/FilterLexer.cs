using System.Text;
using Keel.Core.Errors;

namespace Keel.Compute.Search;

/// <summary>
/// Hand-written lexer for MLflow's filter and order-by text. It knows nothing about entities or
/// comparators; it only cuts the text into names, literals, numbers and punctuation.
/// </summary>
internal sealed class FilterLexer
{
    private const string OperatorChars = "=!<>";

    private readonly string _text;
    private readonly string _what;
    private int _pos;

    private FilterLexer(string text, string what)
    {
        _text = text;
        _what = what;
    }

    /// <param name="text">The whole filter or order-by item.</param>
    /// <param name="what">How error messages name the input, e.g. "filter".</param>
    public static IReadOnlyList<FilterToken> Tokenize(string text, string what)
    {
        var lexer = new FilterLexer(text, what);
        var tokens = new List<FilterToken>();
        FilterToken token;
        do
        {
            token = lexer.Next();
            tokens.Add(token);
        }
        while (token.Kind != FilterTokenKind.End);
        return tokens;
    }

    private FilterToken Next()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }

        if (_pos >= _text.Length)
        {
            return FilterToken.Simple(FilterTokenKind.End, string.Empty);
        }

        var c = _text[_pos];
        var start = _pos;
        switch (c)
        {
            case '(':
                _pos++;
                return FilterToken.Simple(FilterTokenKind.LeftParen, "(");
            case ')':
                _pos++;
                return FilterToken.Simple(FilterTokenKind.RightParen, ")");
            case ',':
                _pos++;
                return FilterToken.Simple(FilterTokenKind.Comma, ",");
            case '\'':
                {
                    var value = ReadQuoted('\'');
                    return new FilterToken(FilterTokenKind.SingleQuoted, Slice(start), value, []);
                }

            case '"':
                {
                    var value = ReadQuoted('"');

                    // "entity"."key": a double-quoted part followed by a dot starts a name.
                    if (Peek() == '.')
                    {
                        return ReadIdentifier(start, new List<NamePart> { new(value, true) });
                    }

                    return new FilterToken(FilterTokenKind.DoubleQuoted, Slice(start), value, []);
                }

            case '`':
                return ReadIdentifier(start, []);
        }

        if (IsNumberStart())
        {
            return ReadNumber();
        }

        if (IsNameStart(c))
        {
            return ReadIdentifier(start, []);
        }

        if (OperatorChars.Contains(c))
        {
            // Take the whole run so that e.g. '>>' is reported as one bad comparator, like MLflow does.
            while (_pos < _text.Length && OperatorChars.Contains(_text[_pos]))
            {
                _pos++;
            }

            return FilterToken.Simple(FilterTokenKind.Operator, Slice(start));
        }

        _pos++;
        return FilterToken.Simple(FilterTokenKind.Unknown, Slice(start));
    }

    /// <summary>Reads dot-separated parts, each bare or quoted (backticks anywhere, double quotes after a dot).</summary>
    private FilterToken ReadIdentifier(int start, List<NamePart> parts)
    {
        var needPart = parts.Count == 0;
        if (!needPart)
        {
            _pos++; // the dot after a leading double-quoted part
            needPart = true;
        }

        while (needPart)
        {
            var c = Peek();
            if (c == '`')
            {
                parts.Add(new NamePart(ReadQuoted('`'), true));
            }
            else if (c == '"' && parts.Count > 0)
            {
                parts.Add(new NamePart(ReadQuoted('"'), true));
            }
            else if (c is { } ch && (IsNameStart(ch) || (parts.Count > 0 && char.IsAsciiDigit(ch))))
            {
                var partStart = _pos;
                while (_pos < _text.Length && IsNameChar(_text[_pos]))
                {
                    _pos++;
                }

                parts.Add(new NamePart(_text[partStart.._pos], false));
            }
            else
            {
                throw KeelException.InvalidParameter(
                    $"Invalid {_what} '{_text}'. Expected a key after '{Slice(start)}' at position {_pos}.");
            }

            needPart = Peek() == '.';
            if (needPart)
            {
                _pos++;
            }
        }

        var text = string.Join(".", parts.Select(p => p.Text));
        return new FilterToken(FilterTokenKind.Identifier, Slice(start), text, parts);
    }

    /// <summary>Reads a quoted run; a doubled quote character stands for one, as in SQL.</summary>
    private string ReadQuoted(char quote)
    {
        var start = _pos;
        _pos++;
        var value = new StringBuilder();
        while (_pos < _text.Length)
        {
            var c = _text[_pos++];
            if (c != quote)
            {
                value.Append(c);
            }
            else if (Peek() == quote)
            {
                value.Append(quote);
                _pos++;
            }
            else
            {
                return value.ToString();
            }
        }

        throw KeelException.InvalidParameter(
            $"Invalid {_what} '{_text}'. Unterminated quoted text starting at position {start}: {_text[start..]}");
    }

    private FilterToken ReadNumber()
    {
        var start = _pos;
        if (_text[_pos] is '-' or '+')
        {
            _pos++;
        }

        SkipDigits();
        if (Peek() == '.')
        {
            _pos++;
            SkipDigits();
        }

        if (Peek() is 'e' or 'E')
        {
            var save = _pos;
            _pos++;
            if (Peek() is '-' or '+')
            {
                _pos++;
            }

            if (Peek() is { } d && char.IsAsciiDigit(d))
            {
                SkipDigits();
            }
            else
            {
                _pos = save; // not an exponent after all; the parser will reject what follows
            }
        }

        var raw = Slice(start);
        return new FilterToken(FilterTokenKind.Number, raw, raw, []);
    }

    private bool IsNumberStart()
    {
        var c = _text[_pos];
        if (char.IsAsciiDigit(c))
        {
            return true;
        }

        var next = _pos + 1 < _text.Length ? _text[_pos + 1] : '\0';
        if (c is '-' or '+')
        {
            var afterDot = _pos + 2 < _text.Length ? _text[_pos + 2] : '\0';
            return char.IsAsciiDigit(next) || (next == '.' && char.IsAsciiDigit(afterDot));
        }

        return c == '.' && char.IsAsciiDigit(next);
    }

    private void SkipDigits()
    {
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }
    }

    private char? Peek() => _pos < _text.Length ? _text[_pos] : null;

    private string Slice(int start) => _text[start.._pos];

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
