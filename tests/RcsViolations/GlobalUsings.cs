global using MetaJit;
