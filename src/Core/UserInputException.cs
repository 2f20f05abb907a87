namespace Harness.Core;

/// <summary>
/// A mistake the user can fix (bad file, bad spec, bad argument). The CLI prints the message without a
/// stack trace and exits with code 2. Messages say what is wrong, where, and how to fix it.
/// </summary>
public class UserInputException : Exception
{
    public UserInputException(string message) : base(message) { }
    public UserInputException(string message, Exception inner) : base(message, inner) { }
}
