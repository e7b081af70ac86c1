global using NUnit.Framework;
global using MetaJit.Engine.JitCodes;
global using MetaJit.Engine.Execution;
global using MetaJit.Toolchain.Codewriting;
