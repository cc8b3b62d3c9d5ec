package io.github.fastdl4j.common.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values checked where they are parsed, so that a bad value is a usage error (one line,
 * exit code 2) before any data is read: {@code @Option(names = "--epochs", converter = Checks.PositiveInt.class)}.
 * The defaults from {@code config/<job>.properties} pass through the same checks.
 */
public final class Checks {

    private Checks() {
    }

    /** A whole number >= 1 (epochs, batch size, factors, layer widths, -k). */
    public static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int v = parseInt(value);
            if (v < 1) {
                throw new TypeConversionException("must be at least 1, got " + value.strip());
            }
            return v;
        }
    }

    /** A whole number >= 0 (0 meaning "none" or "all", as the option says). */
    public static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int v = parseInt(value);
            if (v < 0) {
                throw new TypeConversionException("must be 0 or more, got " + value.strip());
            }
            return v;
        }
    }

    /** A whole number >= 1 that may exceed an int (row counts). */
    public static final class PositiveLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long v;
            try {
                v = Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a whole number, got '" + value + "'");
            }
            if (v < 1) {
                throw new TypeConversionException("must be at least 1, got " + value.strip());
            }
            return v;
        }
    }

    /** Any finite number (a range bound). NaN and infinity are refused. */
    public static final class FiniteDouble implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return parseDouble(value);
        }
    }

    /** A finite number > 0 (learning rate). NaN and infinity are refused. */
    public static final class PositiveDouble implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = parseDouble(value);
            if (!(v > 0)) {
                throw new TypeConversionException("must be greater than 0, got " + value.strip());
            }
            return v;
        }
    }

    /** A finite number >= 0 (weight decay, noise, regularisation). */
    public static final class NonNegativeDouble implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = parseDouble(value);
            if (!(v >= 0)) {
                throw new TypeConversionException("must be 0 or more, got " + value.strip());
            }
            return v;
        }
    }

    /** A probability of dropping, in [0, 1) (dropout: 1 would drop everything). */
    public static final class DropProbability implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = parseDouble(value);
            if (!(v >= 0 && v < 1)) {
                throw new TypeConversionException("must be a probability in [0, 1), got " + value.strip());
            }
            return v;
        }
    }

    /** A fraction in (0, 1) (a validation share). */
    public static final class Fraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = parseDouble(value);
            if (!(v > 0 && v < 1)) {
                throw new TypeConversionException("must be a fraction in (0, 1), got " + value.strip());
            }
            return v;
        }
    }

    static int parseInt(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("expected a whole number, got '" + value + "'");
        }
    }

    static double parseDouble(String value) {
        double v;
        try {
            v = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("expected a number, got '" + value + "'");
        }
        if (!Double.isFinite(v)) {
            throw new TypeConversionException("must be a finite number, got " + value.strip());
        }
        return v;
    }
}
