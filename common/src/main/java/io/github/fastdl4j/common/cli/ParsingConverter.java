package io.github.fastdl4j.common.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.function.Function;

/**
 * A picocli converter over a parse function such as an enum's {@code of(String)}: the
 * function's {@link IllegalArgumentException} becomes a usage error (exit code 2) with its
 * message. Subclass it with a no-argument constructor, as picocli's {@code converter = ...}
 * needs: {@code final class ArchConverter extends ParsingConverter<Arch> { ArchConverter() { super(Arch::of); } }}.
 */
public abstract class ParsingConverter<T> implements ITypeConverter<T> {

    private final Function<String, T> parse;

    protected ParsingConverter(Function<String, T> parse) {
        this.parse = parse;
    }

    @Override
    public T convert(String value) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
