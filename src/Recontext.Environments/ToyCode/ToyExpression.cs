namespace Recontext.Environments.ToyCode;

/// <summary>An expression of the toy language over the single variable x.</summary>
public abstract record ToyExpression
{
    public abstract long Evaluate(long x);

    public sealed record Constant(long Value) : ToyExpression
    {
        public override long Evaluate(long x) => Value;
    }

    public sealed record Variable : ToyExpression
    {
        public override long Evaluate(long x) => x;
    }

    public sealed record Negate(ToyExpression Operand) : ToyExpression
    {
        public override long Evaluate(long x)
        {
            long value = Operand.Evaluate(x);
            return Checked(() => checked(-value));
        }
    }

    public sealed record Binary(char Operator, ToyExpression Left, ToyExpression Right) : ToyExpression
    {
        public override long Evaluate(long x)
        {
            long a = Left.Evaluate(x), b = Right.Evaluate(x);
            return Operator switch
            {
                '+' => Checked(() => checked(a + b)),
                '-' => Checked(() => checked(a - b)),
                '*' => Checked(() => checked(a * b)),
                '%' => FlooredModulo(a, b),
                _ => throw new ToyProgramException($"unknown operator '{Operator}'"),
            };
        }
    }

    public sealed record Call(string Function, ToyExpression First, ToyExpression Second) : ToyExpression
    {
        public override long Evaluate(long x) => Function == "max"
            ? Math.Max(First.Evaluate(x), Second.Evaluate(x))
            : Math.Min(First.Evaluate(x), Second.Evaluate(x));
    }

    /// <summary>Python's %: the result has the divisor's sign.</summary>
    static long FlooredModulo(long a, long b)
    {
        if (b == 0) throw new ToyProgramException("modulo by zero");
        if (b == -1) return 0;   // long.MinValue % -1 would overflow; the result is 0 for every a
        long r = a % b;
        return r != 0 && (r < 0) != (b < 0) ? r + b : r;
    }

    /// <summary>Runs a <c>checked(...)</c> operation and reports overflow in the toy language's terms.</summary>
    static long Checked(Func<long> operation)
    {
        try
        {
            return operation();
        }
        catch (OverflowException)
        {
            throw new ToyProgramException("arithmetic overflow");
        }
    }
}
