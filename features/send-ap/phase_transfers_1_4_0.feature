@v1.4.0 @v1.5.0
Feature: The phase transfer review as regulation 18 reads (version 1.4.0)
  SEND Regulations 2014 reg 18(1): "where a child or young person is within 12 months of a
  transfer between phases of education", the local authority must review and, where necessary,
  amend the plan before 15 February of the calendar year of the transfer (31 March from
  secondary school to post-16). An amended plan issued in the 12 months before the transfer and
  by that date satisfies the duty whenever the transfer itself was recorded; before version 1.4.0
  only an amendment recorded after the transfer was scheduled counted.

  A school transfer on 1 September 2026: due 14 February 2026; the 12 months begin on
  1 September 2025.

  Background:
    Given a child born on 14 March 2015

  Rule: ehc.phase_transfer - an amended plan in the 12 months before the transfer counts

    Scenario: The plan was amended before the transfer was recorded
      Given the amended EHC plan issued on 1 December 2025
      And a school phase transfer on 1 September 2026, scheduled on 10 January 2026
      When the duties are decided on 1 March 2026
      Then the duty "ehc.phase_transfer" for the transfer is met, due on 14 February 2026
      And the duty was satisfied by the amended plan

    Scenario Outline: An amended plan around the start of the 12 months
      Given the amended EHC plan issued on <issued>
      And a school phase transfer on 1 September 2026, scheduled on 10 January 2026
      When the duties are decided on 1 March 2026
      Then the duty "ehc.phase_transfer" for the transfer is <status>, due on 14 February 2026

      Examples:
        | issued           | status  |
        | 31 August 2025   | overdue |
        | 1 September 2025 | met     |
