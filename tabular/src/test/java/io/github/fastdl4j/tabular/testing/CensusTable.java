package io.github.fastdl4j.tabular.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A census-income table shaped like fastai's ADULT_SAMPLE (age, workclass, education,
 * education-num, marital-status, occupation, relationship, race, sex, hours-per-week, salary),
 * generated with a planted logistic model: being married, education, a managerial or professional
 * occupation, age and hours raise the odds of {@code >=50k} (about a quarter of the rows, as in
 * the census). With the real file's quirks: a space after every comma, {@code ?} for a missing
 * workclass or occupation, and a few missing ages.
 */
public final class CensusTable {

    public static final String[] WORKCLASS = {"Private", "Self-emp-not-inc", "Self-emp-inc", "Local-gov", "State-gov", "Federal-gov"};
    public static final String[] EDUCATION = {"11th", "HS-grad", "Some-college", "Assoc-voc", "Bachelors", "Masters", "Doctorate"};
    public static final int[] EDUCATION_NUM = {7, 9, 10, 11, 13, 14, 16};
    public static final String[] MARITAL = {"Married-civ-spouse", "Never-married", "Divorced", "Separated", "Widowed"};
    public static final String[] OCCUPATION = {"Exec-managerial", "Prof-specialty", "Craft-repair", "Sales", "Adm-clerical",
            "Other-service", "Machine-op-inspct", "Transport-moving"};
    public static final String[] RELATIONSHIP = {"Husband", "Wife", "Not-in-family", "Own-child", "Unmarried"};
    public static final String[] RACE = {"White", "Black", "Asian-Pac-Islander", "Amer-Indian-Eskimo", "Other"};

    private CensusTable() {
    }

    /** Writes {@code rows} rows to {@code file}; returns the share of {@code >=50k}. */
    public static double write(Path file, int rows, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(
                "age,workclass,education,education-num,marital-status,occupation,relationship,race,sex,hours-per-week,salary\n");
        int rich = 0;
        for (int i = 0; i < rows; i++) {
            int age = 17 + r.nextInt(60);
            int e = r.nextInt(EDUCATION.length);
            String marital = MARITAL[r.nextInt(MARITAL.length)];
            String occupation = OCCUPATION[r.nextInt(OCCUPATION.length)];
            String sex = r.nextBoolean() ? "Male" : "Female";
            String relationship = marital.equals("Married-civ-spouse") ? (sex.equals("Male") ? "Husband" : "Wife")
                    : RELATIONSHIP[2 + r.nextInt(3)];
            int hours = 10 + r.nextInt(60);
            double z = -9.5 + 0.04 * age + 0.35 * EDUCATION_NUM[e] + (marital.equals("Married-civ-spouse") ? 2.2 : 0)
                    + (occupation.equals("Exec-managerial") || occupation.equals("Prof-specialty") ? 1.4 : 0) + 0.03 * hours;
            boolean over = r.nextDouble() < 1 / (1 + Math.exp(-z));
            rich += over ? 1 : 0;
            String workclass = r.nextDouble() < 0.04 ? "?" : WORKCLASS[r.nextInt(WORKCLASS.length)];
            if (r.nextDouble() < 0.04) {
                occupation = "?";
            }
            String ageText = r.nextDouble() < 0.02 ? "" : Integer.toString(age);
            b.append(String.join(", ", ageText, workclass, EDUCATION[e], Integer.toString(EDUCATION_NUM[e]), marital, occupation,
                    relationship, RACE[r.nextInt(RACE.length)], sex, Integer.toString(hours), over ? ">=50k" : "<50k")).append('\n');
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
        return (double) rich / rows;
    }
}
