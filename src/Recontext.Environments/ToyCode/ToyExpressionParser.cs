namespace Recontext.Environments.ToyCode;

/// <summary>
/// Recursive-descent parser of toy expressions:
/// expr := term (('+'|'-') term)* ; term := unary (('*'|'%') unary)* ; unary := '-' unary | primary ;
/// primary := integer | 'x' | '(' expr ')' | ('max'|'min') '(' expr ',' expr ')'.
/// </summary>
public sealed class ToyExpressionParser
{
    const int MaxDepth = 64;   // bounds recursion on hostile input such as 10,000 nested parentheses

    readonly string text;
    int position;
    int depth;

    ToyExpressionParser(string text) => this.text = text;

    public static ToyExpression Parse(string text)
    {
        var parser = new ToyExpressionParser(text);
        var expression = parser.Expression();
        parser.SkipSpaces();
        if (parser.position != text.Length) throw parser.Error($"unexpected '{text[parser.position]}'");
        return expression;
    }

    ToyExpression Expression()
    {
        if (++depth > MaxDepth) throw Error("expression nests too deeply");
        var left = Term();
        while (Peek() is '+' or '-')
        {
            char op = text[position++];
            left = new ToyExpression.Binary(op, left, Term());
        }
        depth--;
        return left;
    }

    ToyExpression Term()
    {
        var left = Unary();
        while (Peek() is '*' or '%')
        {
            char op = text[position++];
            left = new ToyExpression.Binary(op, left, Unary());
        }
        return left;
    }

    ToyExpression Unary()
    {
        if (Peek() != '-') return Primary();
        position++;
        if (++depth > MaxDepth) throw Error("expression nests too deeply");
        var operand = Unary();
        depth--;
        return operand is ToyExpression.Constant c && c.Value > 0 ? new ToyExpression.Constant(-c.Value) : new ToyExpression.Negate(operand);
    }

    ToyExpression Primary()
    {
        char c = Peek();
        if (char.IsAsciiDigit(c))
        {
            int start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position])) position++;
            return long.TryParse(text.AsSpan(start, position - start), out var value)
                ? new ToyExpression.Constant(value)
                : throw Error("integer out of range");
        }
        if (c == '(')
        {
            position++;
            var inner = Expression();
            Expect(')');
            return inner;
        }
        if (char.IsAsciiLetter(c))
        {
            int start = position;
            while (position < text.Length && char.IsAsciiLetterOrDigit(text[position])) position++;
            var word = text[start..position];
            if (word == "x") return new ToyExpression.Variable();
            if (word is "max" or "min")
            {
                Expect('(');
                var first = Expression();
                Expect(',');
                var second = Expression();
                Expect(')');
                return new ToyExpression.Call(word, first, second);
            }
            position = start;
            throw Error($"unknown name '{word}'");
        }
        throw Error(c == '\0' ? "expression ends too early" : $"unexpected '{c}'");
    }

    char Peek()
    {
        SkipSpaces();
        return position < text.Length ? text[position] : '\0';
    }

    void Expect(char c)
    {
        if (Peek() != c) throw Error($"expected '{c}'");
        position++;
    }

    void SkipSpaces()
    {
        while (position < text.Length && text[position] == ' ') position++;
    }

    ToyProgramException Error(string what) => new($"{what} at column {position + 1} of '{ToyProgram.Clip(text)}'");
}
