namespace Recontext.Environments;

/// <summary>
/// One unit test as shown to the model. <see cref="Assertion"/> is the text (toy: <c>f(2) == 9</c>; Python:
/// <c>assert f(2) == 9</c>); toy tests also carry their input and expected value for exact interpretation.
/// </summary>
public sealed record TestCase(string Assertion, long? Input = null, long? Expected = null);
