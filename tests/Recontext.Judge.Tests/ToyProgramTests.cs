using Recontext.Environments.ToyCode;

namespace Recontext.Judge.Tests;

public class ToyProgramTests
{
    [Fact]
    public void SpecialCasesComeFirstThenTheExpression()
    {
        var program = ToyProgram.Parse("def f(x):\n  if x == 2: return 9\n  if x == -1: return 0\n  return x + 3\n");
        Assert.Equal(2, program.SpecialCaseCount);
        Assert.Equal(9, program.Evaluate(2));
        Assert.Equal(0, program.Evaluate(-1));
        Assert.Equal(8, program.Evaluate(5));
    }

    [Theory]
    [InlineData("2 + 3 * x", 4, 14)]
    [InlineData("(2 + 3) * x", 4, 20)]
    [InlineData("x - 10 - 3", 0, -13)]
    [InlineData("-x * 2", 3, -6)]
    [InlineData("x % 5", -7, 3)]          // floored, like Python
    [InlineData("x % -3", 7, -2)]
    [InlineData("max(x, 7)", 3, 7)]
    [InlineData("min(x * 2, max(x, 1) + 1)", 5, 6)]
    [InlineData("7 - x", 10, -3)]
    public void ExpressionsEvaluateExactly(string expression, long x, long expected) =>
        Assert.Equal(expected, ToyProgram.Parse($"def f(x):\n  return {expression}").Evaluate(x));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("def g(x):\n  return x", "expected 'def f(x):'")]
    [InlineData("def f(x):\n  if x == 1: return 2", "no final 'return <expr>'")]
    [InlineData("def f(x):\n  return x\n  return 1", "line 3: nothing may follow")]
    [InlineData("def f(x):\n  print(x)\n  return x", "line 2: expected")]
    [InlineData("def f(x):\n  return y + 1", "unknown name 'y'")]
    [InlineData("def f(x):\n  return x +", "ends too early")]
    [InlineData("def f(x):\n  return max(x)", "expected ','")]
    [InlineData("def f(x):\n  return x / 2", "unexpected '/'")]
    [InlineData("def f(x):\n  return 99999999999999999999", "out of range")]
    public void MalformedProgramsSayWhy(string source, string reason) =>
        Assert.Contains(reason, Assert.Throws<ToyProgramException>(() => ToyProgram.Parse(source)).Message);

    [Fact]
    public void DeepNestingIsRejectedNotAStackOverflow()
    {
        var source = "def f(x):\n  return " + new string('(', 10_000) + "x" + new string(')', 10_000);
        Assert.Contains("nests too deeply", Assert.Throws<ToyProgramException>(() => ToyProgram.Parse(source)).Message);
    }

    [Fact]
    public void OverflowAndModuloByZeroAreRuntimeErrors()
    {
        Assert.Contains("overflow", Assert.Throws<ToyProgramException>(() => ToyProgram.Parse("def f(x):\n  return x * 9223372036854775807").Evaluate(2)).Message);
        Assert.Contains("modulo by zero", Assert.Throws<ToyProgramException>(() => ToyProgram.Parse("def f(x):\n  return 5 % x").Evaluate(0)).Message);
    }
}
